# Hawkari web interface — Sorani (Central Kurdish). Every key here must exist in en.ftl and ar.ftl
# (a test fails otherwise). Keep keys in the same order in all three files.

app-name = هاوکاری
app-tagline = بیرەوەریی هاوبەشی شەراکەتەکە
skip-to-content = بازدان بۆ ناوەڕۆک
nav-dashboard = داشبۆرد
nav-engagements = دیدارەکان
nav-commitments = پابەندبوونەکان
nav-people = کەسەکان
nav-organisations = دامەزراوەکان
nav-search = گەڕان
nav-new-engagement = دیداری نوێ
language = زمان
language-change = گۆڕین
signed-in-as = چوویتە ژوورەوە وەک { $user } ({ $organisation })
sign-out = چوونە دەرەوە
sign-in = چوونە ژوورەوە
sign-in-title = چوونە ژوورەوە بۆ هاوکاری
username = ناوی بەکارهێنەر
password = وشەی نهێنی
sign-in-failed = چوونە ژوورەوە سەرکەوتوو نەبوو: ناوی بەکارهێنەر یان وشەی نهێنی هەڵەیە، یان هەژمارەکە بۆ ماوەیەک داخراوە.
footer-attribution = ناوی شوێنەکان لە ڕاپۆرتەکانەوە وەرگیراون؛ سنوورەکان، کاتێک پیشان دەدرێن: Iraq CSO / OCHA (COD-AB ⁦2019⁩).

dashboard-title = داشبۆرد
dashboard-overdue = پابەندبوونە دواکەوتووەکان
dashboard-due-soon = وادەیان لە ٣٠ ڕۆژی داهاتوودایە
dashboard-recent = دوایین دیدارەکان
dashboard-by-owner = دواکەوتووەکان بەپێی دامەزراوەی بەرپرسیار
dashboard-none = هیچ شتێک لێرە نییە.
count-engagements = { $count ->
    [one] { $count } دیدار
   *[other] { $count } دیدار
}
count-commitments = { $count ->
    [one] { $count } پابەندبوون
   *[other] { $count } پابەندبوون
}

engagements-title = دیدارەکان
engagements-filter = پاڵاوتن
engagements-from = لە
engagements-to = تا
engagements-topic = بابەت
engagements-any-topic = هەر بابەتێک
engagements-text = دەق
engagements-apply = جێبەجێکردن
engagements-timeline = هێڵی کات
engagements-next = پەڕەی دواتر
engagements-empty = هیچ دیدارێکی گونجاو نییە.

engagement-kind = جۆر
kind-key_leader_engagement = دیدار لەگەڵ سەرکردە سەرەکییەکان
kind-delegation_visit = سەردانی شاند
kind-call = پەیوەندیی تەلەفۆنی یان ڤیدیۆیی
kind-joint_committee_session = دانیشتنی لیژنەی هاوبەش
kind-public_statement = ڕاگەیەندراوی گشتی
engagement-when = کات
engagement-where = شوێن
engagement-participants = بەشداربووان
engagement-topics = بابەتەکان
engagement-tags = تاگەکان
engagement-objectives = ئامانجەکان
engagement-summary = پوختە
engagement-outcomes = ئەنجامەکان
engagement-commitments = پابەندبوونەکان
engagement-sources = سەرچاوەکان
engagement-confidence = ئاستی متمانە
confidence-high = بەرز
confidence-moderate = مامناوەند
confidence-low = نزم
engagement-follow-up-of = بەدواداچوونە بۆ
engagement-owner = خاوەنەکەی
engagement-released-to = هاوبەشکراو لەگەڵ
engagement-history = مێژووی گۆڕانکارییەکان
engagement-comments = لێدوانەکان
engagement-print = چاپکردنی ڕاپۆرت
engagement-edit = دەستکاریکردن
role-lead = بەرپرسی سەرەکی
role-participant = بەشداربوو
role-host = خانەخوێ
role-note_taker = نووسەری کۆنووس
role-interpreter = وەرگێڕ

form-new-engagement = تۆمارکردنی دیدارێک
form-edit-engagement = دەستکاریکردنی دیدار
form-title = ناونیشان
form-when = بەروار (⁦2025-05-21⁩، ⁦2025-05⁩، یان ⁦2025-05-21/2025-05-31⁩)
form-when-label = دەربڕینی سەرچاوەکە (بۆ نموونە «کۆتاییەکانی ئایار»)
form-person = کەس
form-organisation = دامەزراوە
form-role = ڕۆڵ
form-none = — هیچ —
form-participant-n = بەشداربووی { $n }
form-commitment-n = پابەندبوونی { $n }
form-commitment-text = چی بەڵێن درا
form-responsible = دامەزراوەی بەرپرسیار
form-counterpart = بەرامبەر بە
form-due = وادەی کۆتایی
form-source-publisher = بڵاوکەرەوەی سەرچاوە
form-source-title = ناونیشانی سەرچاوە
form-source-url = بەستەری سەرچاوە (⁦https://…⁩)
form-release-to = هاوبەشکردن لەگەڵ
form-release-all = هەموو هاوبەشەکان
form-save = پاشەکەوتکردن
form-errors = تکایە ئەمانەی خوارەوە ڕاست بکەرەوە:
form-participant-note = تێبینی (بۆ نموونە «ژەنەڕاڵێکی پێشمەرگەی ناونەبراو»)
form-source-date = ڕێکەوتی سەرچاوە (⁦2025⁩ یان ⁦2025-05⁩ یان ⁦2025-05-21⁩)
form-source-reference = ئاماژەی بەڵگەنامە (کاتێک ناونیشان نییە)
form-release-orgs = دامەزراوەکان (و ئەوانەی سەر بەوانن)؛ Ctrl دابگرە بۆ هەڵبژاردنی چەند دانەیەک
form-visible-to = دەبینرێت لەلایەن:
form-visible-owner = { $org } (خاوەن)
form-visible-org = { $org } و ئەوانەی سەر بەون
form-release-change = پاشەکەوتکردنی ئەمە دەیگۆڕێت کێ دەتوانێت تۆمارەکە بخوێنێتەوە:
form-release-loses = { $who } چیتر ناتوانێت بیخوێنێتەوە (لەوانەیە هاوبەشەکە پێشتر بینیبێتی)
form-release-gains = { $who } دەتوانێت بیخوێنێتەوە
form-release-confirm = دووبارە پاشەکەوت بکە بۆ دڵنیاکردنەوەی ئەم گۆڕانکارییە، یان هاوبەشکردنەکەی سەرەوە بگۆڕە.
release-group-all_partners = هەموو هاوبەشەکان
release-group-coalition = هەموو ئەندامانی هاوپەیمانی
release-group-federal = هەموو دامەزراوە فیدراڵییەکان
release-group-regional = هەموو دامەزراوەکانی هەرێمی کوردستان
release-group-joint_mechanisms = هەموو میکانیزمە هاوبەشەکان

commitments-title = پابەندبوونەکان
commitments-by-status = بەپێی دۆخ
commitments-by-owner = بەپێی دامەزراوەی بەرپرسیار
status-open = کراوە
status-in_progress = لە جێبەجێکردندایە
status-done = تەواوبوو
status-dropped = وازلێهێنراو
commitment-due = وادە: { $date }
commitment-no-due = بێ وادە
commitment-overdue = دواکەوتوو
commitment-change-status = گۆڕینی دۆخ
commitment-reason = هۆکار
commitment-owed-by = لە ئەستۆی
commitment-owed-to = بەرامبەر بە
commitment-status-history = مێژووی دۆخ

people-title = کەسەکان
person-positions = پۆستەکان
person-prepare = خۆئامادەکردن بۆ کۆبوونەوە
person-last-engagements = دوایین دیدارەکان لەگەڵ { $name }
person-open-owed-by = پابەندبوونە کراوەکانی { $organisation }
person-open-owed-to = پابەندبوونە کراوەکان بەرامبەر بە { $organisation }
person-present = تا ئێستا

organisations-title = دامەزراوەکان
organisation-kind = جۆر
org-kind-coalition = هاوپەیمانی
org-kind-federal = فیدراڵ
org-kind-regional = هەرێمی کوردستان
org-kind-joint_mechanism = میکانیزمی هاوبەش
org-kind-party = پارت
org-kind-other = هی تر
organisation-owes = پابەندبوونەکانی
organisation-owed = پابەندبوونەکان بەرامبەری
organisation-members = سەر بەم دامەزراوەیە

search-title = گەڕان
search-placeholder = ناو یان وشە، بە هەر ئەلفوبێیەک
search-results = ئەنجامەکانی «{ $query }»
search-none = هیچ شتێک نەدۆزرایەوە.

error-title = هەڵەیەک ڕوویدا
error-not-found = تۆمارێکی وا نییە، یان لەگەڵ دامەزراوەکەت هاوبەش نەکراوە.
error-forbidden = هەژمارەکەت ڕێگەی پێنەدراوە ئەم کارە بکات.
error-back = گەڕانەوە بۆ داشبۆرد
error-bad-request = ئەم داواکارییە تێنەگەیشترا: ناونیشانەکە یان خانەکان بپشکنە.
error-invalid = هەندێک لە خانەکان دروست نین.
error-conflict = تۆمارەکە لەو ماوەیەدا گۆڕدرا، یان گۆڕانکارییەکە لەگەڵیدا ناکۆکە. پەڕەکە نوێ بکەرەوە و دووبارە هەوڵ بدەرەوە.
error-unavailable = خزمەتگوزارییەکە سەرقاڵە یان بنکەدراوەکە بەردەست نییە؛ کەمێکی تر هەوڵ بدەرەوە.
error-internal = ڕاژەکار نەیتوانی داواکارییەکە تەواو بکات و هەڵەکە تۆمار کرا. ئەم ژمارەی هەڵەیە بڵێ:
error-too-large = داواکارییەکە لەوە گەورەترە کە ئەم ڕاژەکارە وەریدەگرێت.
error-timeout = داواکارییەکە کاتێکی زۆری خایاند و ڕاگیرا.
error-method = ئەم ناونیشانە ئەم جۆرە داواکارییە وەرناگرێت.

nav-map = نەخشە

map-title = نەخشەی ڕووداوەکان و داپۆشین
map-filters = چی پیشان بدرێت
map-to = تا بەرواری
map-window = ماوە
map-days = { $count ->
    [one] { $count } ڕۆژ
   *[other] { $count } ڕۆژ
}
map-type = جۆری ڕووداو
map-any-type = هەموو جۆرەکان
map-actor = لایەنی ئەنجامدەر
map-any-actor = هەموو لایەنەکان
map-text = وشە
map-area = ناوچەی گرنگ
map-no-area = هیچ
map-apply = پیشانی بدە
map-slider = پەنجەرەی کات بجوڵێنە
map-open = ڕووداوەکە بکەرەوە
map-shown = ڕووداو لەسەر نەخشە
map-more = ڕووداوی تریش دەگونجێن: نەخشەکە گەورە بکە یان ماوەکە کورت بکەرەوە بۆ بینینی هەمووی.
map-loading = زانیارییەکانی نەخشە بار دەکرێن…
map-failed = زانیارییەکانی نەخشە بار نەکران؛ لیستەکانی خوارەوە هێشتا ڕاستن.
map-no-library = کتێبخانەی نەخشە لەسەر ئەم ڕاژەکارە دانەمەزراوە؛ ڕووداوەکان و داپۆشین لە خوارەوە ڕیزکراون.
map-legend = ڕێبەری نەخشە
map-legend-incident = ڕووداو
map-legend-gap = بۆشایی: هیچ یەکەیەک بەرپرسیار نییە
map-legend-overlap = یەکتربڕین بەبێ میکانیزمی هاوبەش
map-legend-aor = ناوچەی بەرپرسیارێتی
map-legend-line = هێڵی هەماهەنگی
map-legend-unassigned = هێڵی هەماهەنگی کە هیچ یەکەیەک لێی نزیک نییە
map-coverage = داپۆشین
map-coverage-of = داپۆشینی { $area } لە { $date }
map-no-coverage = هیچ ناوچەیەکی گرنگ بۆ دامەزراوەکەت ئاشکرا نەکراوە.
map-incidents = ڕووداوەکان
map-no-incidents = هیچ ڕووداوێک ناگونجێت.
map-list-more = تەنها نوێترین ٥٠ ڕووداو ڕیزکراون؛ فلتەرەکان تەسک بکەرەوە بۆ بینینی ئەوانی تر.
map-attribution = سنوورەکان: Iraq CSO / OCHA (COD-AB ⁦2019⁩). ئەو ناوچانەی وەک نموونەیی نیشانکراون لە هیچ سەرچاوەیەکەوە وەرنەگیراون.
map-bad-date = «{ $value }» بەروار نییە: بەم شێوەیە بینووسە ⁦2025-10-01⁩.
map-bad-days = «{ $value }» یەکێک نییە لەو ماوانەی پێشکەش کراون.
map-bad-type = «{ $value }» جۆری ڕووداو نییە.
map-bad-actor = «{ $value }» دامەزراوە نییە.
coverage-gaps = هیچ یەکەیەک بەرپرسیار نییە: { $gap_km } کم² لە { $area_km } کم² ({ $gap_share } ٪)
coverage-overlaps = یەکتربڕینی هێزەکان بەبێ میکانیزمی هاوبەش: { $overlap_km } کم²
coverage-incidents = ڕووداوەکان لە بۆشاییەکاندا: { $in_gaps } لە { $incidents } ({ $in_gaps_share } ٪)
coverage-line = هێڵی هەماهەنگی بەبێ یەکە لە ماوەی { $buffer_km } کم: { $line_unassigned_km } لە { $line_km } کم

incident-type-armed_clash = پێکدادانی چەکداری
incident-type-hit_and_run = هێرشی لێدان و ڕاکردن
incident-type-ied = بۆمبی چێنراو / بۆمبی لای ڕێگا
incident-type-suicide_bombing = تەقینەوەی خۆکوژی
incident-type-vehicle_borne_bomb = ئۆتۆمبێلی بۆمبڕێژکراو
incident-type-indirect_fire = تۆپبارانی ناڕاستەوخۆ
incident-type-abduction = ڕفاندن
incident-type-assassination = تیرۆرکردن
incident-type-arson = سووتاندن / سووتاندنی کشتوکاڵ
incident-type-attack_on_infrastructure = هێرش بۆ سەر ژێرخان
incident-type-security_operation = دەستگیرکردن / ئۆپەراسیۆنی ئەمنی
incident-type-strategic_development = پێشهاتی ستراتیژی
incident-type-other = هی تر
incident-title = { $type }، { $place }
incident-when = کەی
incident-where = لە کوێ
incident-point = خاڵ (هێڵی پانی، هێڵی درێژی)
incident-on-map = لەسەر نەخشە
incident-sub-type = جۆری لاوەکی
incident-actors = لایەنەکان
incident-narrative = وەسف
incident-casualties = قوربانییەکان
incident-no-casualties = هیچ ڕاپۆرت نەکراوە.
incident-party = لایەن
incident-killed = کوژراو
incident-injured = بریندار
incident-grade = هەڵسەنگاندنی سەرچاوە { $grade }
incident-engagements = گفتوگۆی لەسەر کرا لە
party-security_forces = هێزە ئەمنییەکان
party-civilians = هاووڵاتیانی مەدەنی
party-attackers = هێرشبەران
party-unknown = نەزانراو
precision-exact = ورد
precision-near = نزیک شوێنێکی ناودار
precision-sub_district = شوێنێک لە ناحیەکەدا
precision-district = شوێنێک لە قەزاکەدا
precision-governorate = شوێنێک لە پارێزگاکەدا

nav-programmes = بەرنامەکان
programmes-title = بەرنامە و ئۆپەراسیۆنەکان
programmes-plans = پلانەکان بە ئامانجەکانیان دەپێورێن
programmes-operations = ئۆپەراسیۆنە هاوبەشەکان
programme-ends = کۆتایی دێت لە { $date }
count-milestones-overdue = { $count ->
    [one] { $count } قۆناغی دواکەوتوو
   *[other] { $count } قۆناغی دواکەوتوو
}
count-indicators-behind = { $count ->
    [one] { $count } پێوەری دواکەوتوو
   *[other] { $count } پێوەری دواکەوتوو
}
count-items-at-risk = { $count ->
    [one] { $count } بڕگە لە مەترسیدا
   *[other] { $count } بڕگە لە مەترسیدا
}
count-sites = { $count ->
    [one] { $count } شوێن
   *[other] { $count } شوێن
}
count-sites-without-lead = { $count ->
    [one] { $count } شوێن بێ هێزی سەرکردە
   *[other] { $count } شوێن بێ هێزی سەرکردە
}
count-observations = { $count ->
    [one] { $count } تۆمار
   *[other] { $count } تۆمار
}
programme-kind = جۆر
programme-kind-reform = پلانی چاکسازی
programme-kind-transition = پلانی گواستنەوە
programme-kind-other = بەرنامە
programme-period = ماوە
programme-lead = بە سەرکردایەتی
programme-objectives = ئامانجەکان
programme-indicators = پێوەرەکان
programme-conditions = مەرجەکان
programme-milestones = قۆناغەکان
programme-capabilities = توانا و ئەرکە ڕادەستکراوەکان
indicator-headline = { $value } لە { $target } { $unit }
indicator-no-observation = هێشتا هیچ تۆمارێک نییە
indicator-observed = دوایین تۆمار
indicator-source = سەرچاوە
indicator-target-label = ئامانج
indicator-target = { $value } تا { $date }
indicator-rate = ڕێژەی ئێستا: { $rate } لە مانگێکدا
indicator-required = پێویست بۆ گەیشتن بە ئامانج لە کاتی خۆیدا: { $rate } لە مانگێکدا
indicator-projected = بە ڕێژەی ئێستا ئامانج لە { $date } دەپێکرێت
projection-too-few = پێشبینی نییە: لانیکەم دوو تۆمار پێویستە
projection-same-date = پێشبینی نییە: هەموو تۆمارەکان یەک ڕێکەوتیان هەیە
projection-not-moving = پێشبینی نییە: بەهاکان بەرەو ئامانج ناچن
projection-met = ئامانج پێکراوە
trend-met = پێکراوە
trend-on_track = لەسەر ڕێڕەو
trend-behind = دواکەوتوو
trend-unknown = هێشتا ناتوانرێت بڕیار بدرێت
chart-legend = خاڵەکان: تۆمارەکان. لاکێشە: ئامانج. هێڵی خاڵدار: ڕێژەی پێویست. هێڵی پچڕپچڕ: ڕێژەی ئێستا.
condition-text = مەرج
condition-depends-on = پشت دەبەستێت بە
condition-state = دۆخ
condition-met = پێکراوە
condition-at_risk = لە مەترسیدا
condition-not_met = پێنەکراوە
condition-pending = چاوەڕوان
milestone-title = قۆناغ
milestone-due = کاتی دیاریکراو
milestone-owner = لایەنی بەرپرسیار
milestone-status = دۆخ
milestone-overdue = دواکەوتوو
milestone-planned = پلان بۆ دانراو
milestone-in_progress = لە جێبەجێکردندا
milestone-done = تەواوبوو
milestone-missed = لەدەستچوو
milestone-dropped = هەڵوەشاوە
capability-name = توانا یان ئەرک
capability-provider = دابینکراو لەلایەن
capability-receiver = ڕادەستکراو بە
capability-target = ڕێکەوتی ئامانج
capability-risk = مەترسی
function-advising = ڕاوێژکاری
function-air_support = پشتیوانی ئاسمانی
function-intelligence_sharing = هاوبەشکردنی هەواڵگری
function-training = ڕاهێنان
function-base_presence = بوون لە بنکەکان
function-other = تر
transition-planned = پلان بۆ دانراو
transition-in_progress = لە جێبەجێکردندا
transition-handed_over = ڕادەستکرا
transition-ended = کۆتایی هات
transition-at_risk = لە مەترسیدا
timeline-title = هێڵی کات تا { $date }
timeline-today = ئەمڕۆ
timeline-end = کۆتایی { $date }
operation-without-lead = شوێنەکانی بێ هێزی سەرکردە
operation-all-led = هەموو شوێنێک هێزی سەرکردەی هەیە.
operation-board = شوێنەکان بەپێی دۆخ
operation-map = نەخشەی شوێنەکان
operation-map-legend = خۆڵەمێشی: پارێزگاکان. ئەڵقەی سوور: بێ هێزی سەرکردە؛ سەوز: پارێزراو؛ پرتەقاڵی: ڕووداو؛ تاریک: داخراو؛ شین: هێشتا ڕاپۆرت نییە.
site-kind-polling_centre = بنکەی دەنگدان
site-kind-border_crossing = دەروازەی سنووری
site-kind-checkpoint = بازگە
site-kind-other = شوێن
site-status-manned = پارێزراو
site-status-incident = ڕووداو
site-status-closed = داخراو
site-status-unreported = هێشتا ڕاپۆرت نییە
site-lead = هێزی سەرکردە
site-no-lead = نییە
site-supporting = بە پشتیوانی
site-liaison = پەیوەندیکار
site-last-report = دوایین ڕاپۆرت
dashboard-milestones-overdue = قۆناغە دواکەوتووەکان
dashboard-indicators-behind = پێوەرە دواکەوتووەکان
dashboard-sites-without-lead = شوێنەکانی بێ هێزی سەرکردە
dashboard-transition-at-risk = بڕگەکانی گواستنەوە لە مەترسیدا

nav-audit = تۆماری وردبینی
audit-title = تۆماری وردبینیی دامەزراوەکەت
audit-intro = ئەوەی بەکارهێنەرانی { $organisation } کردیان، و ئەوەی کەسانی تر کردیان کە پەیوەندی پێیەوە هەیە: هەژمارە دروستکراوەکان تێیدا یان لە ژێریدا، گۆڕانکاری لە داری دامەزراوەکان لە دەوروبەریدا، بەدواداچوونی هاوبەشەکان لەسەر تۆمارەکانی. نوێترین سەرەتا.
audit-none = هێشتا هیچ.
audit-when = کات (UTC)
audit-who = کێ
audit-action = کار
audit-what = تۆمار
audit-concerns = پەیوەندیدارە بە
audit-detail = وردەکاری
audit-older = تۆمارە کۆنترەکان
nav-users = هەژمارەکان
nav-tokens = تۆکنەکانی API
admin-users-title = هەژمارەکان
admin-username = ناوی بەکارهێنەر
admin-password = وشەی نهێنی (12 پیت یان زیاتر)
admin-new-password = وشەی نهێنیی نوێ
admin-set-password = دانانی وشەی نهێنی
admin-disabled = ناچالاک
admin-new-user = هەژماری نوێ
admin-create = دروستکردنی هەژمار
admin-user-created = هەژماری { $user } دروست کرا.
admin-user-saved = هەژماری { $user } پاشەکەوت کرا.
admin-password-set = وشەی نهێنیی نوێ بۆ { $user } دانرا و دانیشتنەکانی کۆتاییان هات.
role-name-viewer = بینەر
role-name-editor = دەستکاریکەر
role-name-org_admin = بەڕێوەبەری دامەزراوە
role-name-system_admin = بەڕێوەبەری سیستەم
tokens-title = تۆکنەکانی API ی تۆ
tokens-intro = تۆکن ڕێگە بە بەرنامەیەک دەدات API بە ناوی تۆوە بەکاربهێنێت: وەک «Authorization: Bearer …» بینێرە. تۆکنی خوێندنەوە هیچ ناگۆڕێت.
tokens-none = هیچ تۆکنێکت نییە.
tokens-made = تۆکنی «{ $name }» دروست کرا. ئێستا نهێنییەکەی کۆپی بکە: هەڵناگیرێت و جارێکی تر پیشان نادرێتەوە.
tokens-name = ناو
tokens-scope = بوار
tokens-created = دروستکراوە لە
tokens-state = دۆخ
tokens-revoked = لە { $date } هەڵوەشێنرایەوە
tokens-revoke = هەڵوەشاندنەوە
tokens-new = تۆکنی نوێ
tokens-create = دروستکردنی تۆکن
token-scope-read = تەنها خوێندنەوە
token-scope-write = خوێندنەوە و نووسین
commitment-condition = بە مەرجی
commitment-agreed-in = ڕێککەوتن لە
commitment-evidence = بەڵگەکان
commitment-comments = لێدوانەکان
commitment-no-comments = هێشتا لێدوان نییە.
commitment-changes = مێژووی گۆڕانکارییەکان
board-filters = پاڵاوتنەکان
board-any = — هەر کامێک —
board-status = دۆخ
board-overdue-only = تەنها دواکەوتووەکان
board-due-from = کاتی دیاریکراو لە (⁦YYYY-MM-DD⁩)
board-due-to = کاتی دیاریکراو تا (⁦YYYY-MM-DD⁩)
board-words = وشەکان
board-show = پیشاندان
board-clear = سڕینەوەی پاڵاوتنەکان
board-none = هیچ پابەندبوونێک لەگەڵ ئەم پاڵاوتنانە ناگونجێت.
board-next = پەڕەی داهاتوو
board-shown = { $count ->
    [one] یەک پابەندبوون پیشان دراوە
   *[other] { $count } پابەندبوون پیشان دراون
}
board-bad-value = «{ $field }» یەکێک لە هەڵبژاردنەکان نییە.
board-bad-date = «{ $field }» ڕێکەوت نییە: بە شێوەی ⁦YYYY-MM-DD⁩ بینووسە.
board-export = داگرتنیان وەک CSV (HXL)
views-title = دیمەنە پاشەکەوتکراوەکان
views-name = ئەم پاڵاوتنانە پاشەکەوت بکە بە ناوی
views-save = پاشەکەوتکردنی دیمەن
views-delete = سڕینەوەی دیمەنی { $name }
operation-find-site = شوێنێک بدۆزەرەوە
operation-found = شوێنە دۆزراوەکان
site-report = ڕاپۆرتی دۆخی شوێنەکە بدە
site-report-note = تێبینی (ئارەزوومەندانە)
site-report-send = ناردنی ڕاپۆرت
site-reports = ڕاپۆرتەکان
nav-menu = لیست
