# Hawkari web interface — Arabic (Modern Standard). Every key here must exist in en.ftl and ckb.ftl
# (a test fails otherwise). Keep keys in the same order in all three files.

app-name = هاوکاری
app-tagline = الذاكرة المشتركة للشراكة
skip-to-content = الانتقال إلى المحتوى
nav-dashboard = لوحة المتابعة
nav-engagements = اللقاءات
nav-commitments = الالتزامات
nav-people = الأشخاص
nav-organisations = الجهات
nav-search = بحث
nav-new-engagement = لقاء جديد
language = اللغة
language-change = تغيير
signed-in-as = تم تسجيل الدخول باسم { $user } ({ $organisation })
sign-out = تسجيل الخروج
sign-in = تسجيل الدخول
sign-in-title = تسجيل الدخول إلى هاوکاری
username = اسم المستخدم
password = كلمة المرور
sign-in-failed = فشل تسجيل الدخول: اسم المستخدم أو كلمة المرور غير صحيحة، أو أن الحساب مقفل مؤقتًا.
footer-attribution = أسماء الأماكن مأخوذة من التقارير؛ والحدود، عند عرضها: Iraq CSO / OCHA (COD-AB ⁦2019⁩).

dashboard-title = لوحة المتابعة
dashboard-overdue = الالتزامات المتأخرة
dashboard-due-soon = مستحقة خلال الثلاثين يومًا القادمة
dashboard-recent = أحدث اللقاءات
dashboard-by-owner = الالتزامات المتأخرة حسب الجهة المسؤولة
dashboard-none = لا يوجد شيء هنا.
count-engagements = { $count ->
    [one] لقاء واحد
    [two] لقاءان
    [few] { $count } لقاءات
    [many] { $count } لقاءً
   *[other] { $count } لقاء
}
count-commitments = { $count ->
    [one] التزام واحد
    [two] التزامان
    [few] { $count } التزامات
    [many] { $count } التزامًا
   *[other] { $count } التزام
}

engagements-title = اللقاءات
engagements-filter = تصفية
engagements-from = من
engagements-to = إلى
engagements-topic = الموضوع
engagements-any-topic = أي موضوع
engagements-text = النص
engagements-apply = تطبيق
engagements-timeline = التسلسل الزمني
engagements-next = الصفحة التالية
engagements-empty = لا توجد لقاءات مطابقة.

engagement-kind = النوع
kind-key_leader_engagement = لقاء مع القادة الرئيسيين
kind-delegation_visit = زيارة وفد
kind-call = مكالمة هاتفية أو مرئية
kind-joint_committee_session = جلسة لجنة مشتركة
kind-public_statement = بيان علني
engagement-when = الزمان
engagement-where = المكان
engagement-participants = المشاركون
engagement-topics = المواضيع
engagement-tags = الوسوم
engagement-objectives = الأهداف
engagement-summary = الملخص
engagement-outcomes = النتائج
engagement-commitments = الالتزامات
engagement-sources = المصادر
engagement-confidence = درجة الموثوقية
confidence-high = عالية
confidence-moderate = متوسطة
confidence-low = منخفضة
engagement-follow-up-of = متابعةً لـ
engagement-owner = الجهة المالكة
engagement-released-to = مُتاح لـ
engagement-history = سجل التعديلات
engagement-comments = التعليقات
engagement-print = طباعة التقرير
engagement-edit = تعديل
role-lead = المسؤول الرئيسي
role-participant = مشارك
role-host = المضيف
role-note_taker = محرر المحضر
role-interpreter = مترجم فوري

form-new-engagement = تسجيل لقاء
form-edit-engagement = تعديل اللقاء
form-title = العنوان
form-when = التاريخ (⁦2025-05-21⁩، أو ⁦2025-05⁩، أو ⁦2025-05-21/⁦2025-05⁩-31⁩)
form-when-label = الصياغة الواردة في المصدر (مثلًا «أواخر أيار»)
form-person = الشخص
form-organisation = الجهة
form-role = الدور
form-none = — لا شيء —
form-participant-n = المشارك { $n }
form-commitment-n = الالتزام { $n }
form-commitment-text = ما تم التعهد به
form-responsible = الجهة المسؤولة
form-counterpart = لصالح
form-due = تاريخ الاستحقاق
form-source-publisher = ناشر المصدر
form-source-title = عنوان المصدر
form-source-url = رابط المصدر (⁦https://…⁩)
form-release-to = إتاحة لـ
form-release-all = جميع الشركاء
form-save = حفظ
form-errors = يُرجى تصحيح ما يلي:
form-participant-note = ملاحظة (مثلًا «لواء في البيشمركة لم يُذكر اسمه»)
form-source-date = تاريخ المصدر (⁦2025⁩ أو ⁦2025-05⁩ أو ⁦2025-05-21⁩)
form-source-reference = مرجع الوثيقة (حين لا يوجد عنوان)
form-release-orgs = الجهات (ومن يتبعها)؛ اضغط Ctrl لاختيار أكثر من جهة
form-visible-to = يطّلع عليه:
form-visible-owner = { $org } (المالك)
form-visible-org = { $org } ومن يتبعها
form-release-change = حفظ هذا يغيّر من يحقّ له قراءة السجل:
form-release-loses = لن تتمكّن { $who } من قراءته بعد الآن (ربما اطّلع عليه الشريك من قبل)
form-release-gains = ستتمكّن { $who } من قراءته
form-release-confirm = احفظ مرة أخرى لتأكيد هذا التغيير، أو غيّر الإتاحة أعلاه.
release-group-all_partners = جميع الشركاء
release-group-coalition = جميع أعضاء التحالف
release-group-federal = جميع الجهات الاتحادية
release-group-regional = جميع جهات إقليم كوردستان
release-group-joint_mechanisms = جميع الآليات المشتركة

commitments-title = الالتزامات
commitments-by-status = حسب الحالة
commitments-by-owner = حسب الجهة المسؤولة
status-open = مفتوح
status-in_progress = قيد التنفيذ
status-done = منجز
status-dropped = ملغى
commitment-due = موعد الاستحقاق: { $date }
commitment-no-due = لا يوجد تاريخ استحقاق
commitment-overdue = متأخر
commitment-change-status = تغيير الحالة
commitment-reason = السبب
commitment-owed-by = الجهة الملتزمة
commitment-owed-to = لصالح
commitment-status-history = سجل الحالة

people-title = الأشخاص
person-positions = المناصب
person-prepare = التحضير لاجتماع
person-last-engagements = آخر اللقاءات مع { $name }
person-open-owed-by = الالتزامات المفتوحة المترتبة على { $organisation }
person-open-owed-to = الالتزامات المفتوحة لصالح { $organisation }
person-present = حتى الآن

organisations-title = الجهات
organisation-kind = النوع
org-kind-coalition = التحالف
org-kind-federal = اتحادية
org-kind-regional = إقليم كوردستان
org-kind-joint_mechanism = آلية مشتركة
org-kind-party = حزب
org-kind-other = أخرى
organisation-owes = التزامات عليها
organisation-owed = التزامات لصالحها
organisation-members = الجهات التابعة لها

search-title = بحث
search-placeholder = اسم أو كلمة، بأي أبجدية
search-results = نتائج البحث عن «{ $query }»
search-none = لم يُعثر على شيء.

error-title = حدث خطأ ما
error-not-found = لا يوجد مثل هذا السجل، أو أنه غير متاح لجهتك.
error-forbidden = لا يُسمح لحسابك بتنفيذ هذا الإجراء.
error-back = العودة إلى لوحة المتابعة
error-bad-request = تعذّر فهم هذا الطلب: تحقّق من العنوان أو من الحقول.
error-invalid = بعض الحقول غير صالحة.
error-conflict = تغيّر السجل في أثناء ذلك، أو أن التغيير يتعارض معه. أعد تحميل الصفحة وحاول مرة أخرى.
error-unavailable = الخدمة مشغولة أو قاعدة البيانات غير متاحة؛ حاول بعد قليل.
error-internal = تعذّر على الخادم إكمال الطلب، وسُجّل الخطأ. اذكر رقم الخطأ هذا:
error-too-large = الطلب أكبر مما يقبله هذا الخادم.
error-timeout = استغرق الطلب وقتًا طويلًا فأُوقف.
error-method = هذا العنوان لا يقبل هذا النوع من الطلبات.

nav-map = الخريطة

map-title = خريطة الحوادث والتغطية
map-filters = ما يُعرض
map-to = حتى تاريخ
map-window = المدة
map-days = { $count ->
    [one] يوم واحد
    [two] يومان
    [few] { $count } أيام
   *[other] { $count } يومًا
}
map-type = نوع الحادث
map-any-type = كل الأنواع
map-actor = الجهة الفاعلة
map-any-actor = كل الجهات
map-text = كلمات
map-area = منطقة الاهتمام
map-no-area = لا شيء
map-apply = اعرض
map-slider = حرّك النافذة الزمنية
map-open = افتح الحادث
map-shown = حادثة على الخريطة
map-more = هناك حوادث أخرى مطابقة: كبّر الخريطة أو قصّر المدة لرؤيتها كلها.
map-loading = جارٍ تحميل بيانات الخريطة…
map-failed = تعذّر تحميل بيانات الخريطة؛ القوائم أدناه ما زالت صحيحة.
map-no-library = مكتبة الخرائط غير مثبتة على هذا الخادم؛ الحوادث والتغطية مدرجة أدناه.
map-legend = مفتاح الخريطة
map-legend-incident = حادث
map-legend-gap = فجوة: لا وحدة مسؤولة
map-legend-overlap = تداخل دون آلية مشتركة
map-legend-aor = منطقة مسؤولية
map-legend-line = خط التنسيق
map-legend-unassigned = خط تنسيق لا وحدة قريبة منه
map-coverage = التغطية
map-coverage-of = تغطية { $area } في { $date }
map-no-coverage = لا توجد منطقة اهتمام متاحة لجهتك.
map-incidents = الحوادث
map-no-incidents = لا توجد حوادث مطابقة.
map-list-more = تُدرج أحدث ٥٠ حادثة فقط؛ ضيّق المرشحات لرؤية غيرها.
map-attribution = الحدود: Iraq CSO / OCHA (COD-AB ⁦2019⁩). المناطق الموسومة بأنها توضيحية غير مأخوذة من أي مصدر.
map-bad-date = «{ $value }» ليس تاريخًا: اكتبه هكذا ⁦2025-10-01⁩.
map-bad-days = «{ $value }» ليست من المدد المعروضة.
map-bad-type = «{ $value }» ليس نوع حادث.
map-bad-actor = «{ $value }» ليست جهة مسجلة.
coverage-gaps = لا وحدة مسؤولة: { $gap_km } كم² من { $area_km } كم² ({ $gap_share } ٪)
coverage-overlaps = تداخل القوات دون آلية مشتركة: { $overlap_km } كم²
coverage-incidents = الحوادث في الفجوات: { $in_gaps } من { $incidents } ({ $in_gaps_share } ٪)
coverage-line = خط تنسيق لا وحدة ضمن { $buffer_km } كم منه: { $line_unassigned_km } من { $line_km } كم

incident-type-armed_clash = اشتباك مسلح
incident-type-hit_and_run = هجوم كرّ وفرّ
incident-type-ied = عبوة ناسفة / عبوة على جانب الطريق
incident-type-suicide_bombing = تفجير انتحاري
incident-type-vehicle_borne_bomb = سيارة مفخخة
incident-type-indirect_fire = قصف غير مباشر
incident-type-abduction = اختطاف
incident-type-assassination = اغتيال
incident-type-arson = حرق / إحراق محاصيل
incident-type-attack_on_infrastructure = هجوم على البنية التحتية
incident-type-security_operation = اعتقال / عملية أمنية
incident-type-strategic_development = تطور استراتيجي
incident-type-other = غير ذلك
incident-title = { $type }، { $place }
incident-when = متى
incident-where = أين
incident-point = النقطة (خط العرض، خط الطول)
incident-on-map = على الخريطة
incident-sub-type = النوع الفرعي
incident-actors = الجهات الفاعلة
incident-narrative = الوصف
incident-casualties = الضحايا
incident-no-casualties = لم يُبلَّغ عن ضحايا.
incident-party = الطرف
incident-killed = القتلى
incident-injured = الجرحى
incident-grade = تقييم المصدر { $grade }
incident-engagements = نوقش في
party-security_forces = قوات الأمن
party-civilians = المدنيون
party-attackers = المهاجمون
party-unknown = غير معروف
precision-exact = دقيق
precision-near = قرب مكان مسمّى
precision-sub_district = في مكان ما من الناحية
precision-district = في مكان ما من القضاء
precision-governorate = في مكان ما من المحافظة

nav-programmes = البرامج
programmes-title = البرامج والعمليات
programmes-plans = خطط تقاس بأهدافها
programmes-operations = العمليات المشتركة
programme-ends = تنتهي في { $date }
count-milestones-overdue = { $count ->
    [one] مرحلة واحدة متأخرة
    [two] مرحلتان متأخرتان
   *[other] { $count } مراحل متأخرة
}
count-indicators-behind = { $count ->
    [one] مؤشر واحد متأخر
    [two] مؤشران متأخران
   *[other] { $count } مؤشرات متأخرة
}
count-items-at-risk = { $count ->
    [one] بند واحد معرض للخطر
    [two] بندان معرضان للخطر
   *[other] { $count } بنود معرضة للخطر
}
count-sites = { $count ->
    [one] موقع واحد
    [two] موقعان
   *[other] { $count } مواقع
}
count-sites-without-lead = { $count ->
    [one] موقع واحد بلا قوة قائدة
    [two] موقعان بلا قوة قائدة
   *[other] { $count } مواقع بلا قوة قائدة
}
count-observations = { $count ->
    [one] رصد واحد
    [two] رصدان
   *[other] { $count } أرصاد
}
programme-kind = النوع
programme-kind-reform = خطة إصلاح
programme-kind-transition = خطة انتقال
programme-kind-other = برنامج
programme-period = المدة
programme-lead = بقيادة
programme-objectives = الأهداف
programme-indicators = المؤشرات
programme-conditions = الشروط
programme-milestones = المراحل
programme-capabilities = القدرات والمهام المسلَّمة
indicator-headline = { $value } من أصل { $target } { $unit }
indicator-no-observation = لا رصد بعد
indicator-observed = آخر رصد
indicator-source = المصدر
indicator-target-label = الهدف
indicator-target = { $value } بحلول { $date }
indicator-rate = المعدل الحالي: { $rate } شهريًا
indicator-required = المطلوب لبلوغ الهدف في موعده: { $rate } شهريًا
indicator-projected = بالمعدل الحالي يُبلغ الهدف في { $date }
projection-too-few = لا توقع: يلزم رصدان على الأقل
projection-same-date = لا توقع: كل الأرصاد بتاريخ واحد
projection-not-moving = لا توقع: القيم لا تتجه نحو الهدف
projection-met = تم بلوغ الهدف
trend-met = تحقق
trend-on_track = على المسار
trend-behind = متأخر
trend-unknown = لا يمكن الحكم بعد
chart-legend = النقاط: الأرصاد. المعين: الهدف. المنقط: المعدل المطلوب. المتقطع: المعدل الحالي.
condition-text = الشرط
condition-depends-on = يعتمد على
condition-state = الحالة
condition-met = متحقق
condition-at_risk = معرض للخطر
condition-not_met = غير متحقق
condition-pending = قيد الانتظار
milestone-title = المرحلة
milestone-due = الموعد
milestone-owner = الجهة المسؤولة
milestone-status = الحالة
milestone-overdue = متأخرة
milestone-planned = مخطط لها
milestone-in_progress = قيد التنفيذ
milestone-done = منجزة
milestone-missed = فائتة
milestone-dropped = ملغاة
capability-name = القدرة أو المهمة
capability-provider = يقدمها
capability-receiver = تُسلَّم إلى
capability-target = الموعد المستهدف
capability-risk = خطر
function-advising = الاستشارة
function-air_support = الإسناد الجوي
function-intelligence_sharing = تبادل المعلومات الاستخبارية
function-training = التدريب
function-base_presence = الوجود في القواعد
function-other = أخرى
transition-planned = مخطط لها
transition-in_progress = قيد التنفيذ
transition-handed_over = سُلِّمت
transition-ended = انتهت
transition-at_risk = معرضة للخطر
timeline-title = الجدول الزمني حتى { $date }
timeline-today = اليوم
timeline-end = تنتهي { $date }
operation-without-lead = مواقع بلا قوة قائدة
operation-all-led = لكل موقع قوة قائدة.
operation-board = المواقع حسب الحالة
operation-map = خريطة المواقع
operation-map-legend = الرمادي: المحافظات. الحلقة الحمراء: بلا قوة قائدة؛ الأخضر: مؤمَّن؛ البرتقالي: حادث؛ الداكن: مغلق؛ الأزرق: لا تقرير بعد.
site-kind-polling_centre = مركز اقتراع
site-kind-border_crossing = منفذ حدودي
site-kind-checkpoint = نقطة تفتيش
site-kind-other = موقع
site-status-manned = مؤمَّن
site-status-incident = حادث
site-status-closed = مغلق
site-status-unreported = لا تقرير بعد
site-lead = القوة القائدة
site-no-lead = لا توجد
site-supporting = بإسناد من
site-liaison = الارتباط
site-last-report = آخر تقرير
dashboard-milestones-overdue = مراحل متأخرة
dashboard-indicators-behind = مؤشرات متأخرة
dashboard-sites-without-lead = مواقع بلا قوة قائدة
dashboard-transition-at-risk = بنود انتقال معرضة للخطر

nav-audit = سجل التدقيق
audit-title = سجل التدقيق لجهتك
audit-intro = ما فعله مستخدمو { $organisation }، وما فعله غيرهم مما يخصّها: حسابات أُنشئت فيها أو فيما يتبعها، وتغييرات في شجرة الجهات من حولها، ومتابعات الشركاء على سجلاتها. الأحدث أولًا.
audit-none = لا شيء بعد.
audit-when = الوقت (UTC)
audit-who = من
audit-action = الإجراء
audit-what = السجل
audit-concerns = يخصّ
audit-detail = التفاصيل
audit-older = إدخالات أقدم
nav-users = الحسابات
nav-tokens = رموز الواجهة البرمجية
admin-users-title = الحسابات
admin-username = اسم المستخدم
admin-password = كلمة المرور (12 حرفًا أو أكثر)
admin-new-password = كلمة مرور جديدة
admin-set-password = تعيين كلمة المرور
admin-disabled = معطّل
admin-new-user = حساب جديد
admin-create = إنشاء الحساب
admin-user-created = أُنشئ الحساب { $user }.
admin-user-saved = حُفظ الحساب { $user }.
admin-password-set = عُيّنت كلمة مرور جديدة لـ { $user }، وانتهت جلساته.
role-name-viewer = مطّلع
role-name-editor = محرّر
role-name-org_admin = مسؤول الجهة
role-name-system_admin = مسؤول النظام
tokens-title = رموز الواجهة البرمجية الخاصة بك
tokens-intro = يتيح الرمز لبرنامج أن يستخدم الواجهة البرمجية باسمك: أرسله في «Authorization: Bearer …». رمز القراءة لا يغيّر شيئًا.
tokens-none = ليس لديك رموز.
tokens-made = أُنشئ الرمز «{ $name }». انسخ سرّه الآن: فهو لا يُخزَّن ولن يُعرض مرة أخرى.
tokens-name = الاسم
tokens-scope = النطاق
tokens-created = أُنشئ في
tokens-state = الحالة
tokens-revoked = أُلغي في { $date }
tokens-revoke = إلغاء
tokens-new = رمز جديد
tokens-create = إنشاء الرمز
token-scope-read = قراءة فقط
token-scope-write = قراءة وكتابة
commitment-condition = بشرط
commitment-agreed-in = اتُّفق عليه في
commitment-evidence = الأدلة
commitment-comments = التعليقات
commitment-no-comments = لا تعليقات بعد.
commitment-changes = سجل التغييرات
board-filters = عوامل التصفية
board-any = — أيّ —
board-status = الحالة
board-overdue-only = المتأخرة فقط
board-due-from = مستحق من (⁦YYYY-MM-DD⁩)
board-due-to = مستحق حتى (⁦YYYY-MM-DD⁩)
board-words = كلمات
board-show = عرض
board-clear = مسح عوامل التصفية
board-none = لا يوجد التزام يطابق عوامل التصفية هذه.
board-next = الصفحة التالية
board-shown = { $count ->
    [one] التزام واحد معروض
   *[other] { $count } التزامات معروضة
}
board-bad-value = «{ $field }» ليس من الخيارات المتاحة.
board-bad-date = «{ $field }» ليس تاريخًا: اكتبه بصيغة ⁦YYYY-MM-DD⁩.
board-export = تنزيلها بصيغة CSV (HXL)
views-title = العروض المحفوظة
views-name = احفظ عوامل التصفية هذه باسم
views-save = حفظ العرض
views-delete = حذف العرض { $name }
operation-find-site = ابحث عن موقع
operation-found = المواقع التي وُجدت
site-report = أبلغ عن حالة الموقع
site-report-note = ملاحظة (اختيارية)
site-report-send = إرسال البلاغ
site-reports = البلاغات
nav-menu = القائمة

# The registry's forms: organisations, people, places, topics
nav-places = الأماكن
nav-topics = المواضيع
places-title = الأماكن
topics-title = المواضيع
topics-note = تُصنَّف اللقاءات تحت هذه المواضيع. يضيفها مديرو الجهات ومديرو النظام ويعدّلون تسمياتها.
topics-new = إضافة موضوع
topics-add = أضف الموضوع
topics-all = جميع المواضيع
form-topic-code = الرمز
form-topic-code-hint = أحرف لاتينية صغيرة وأرقام وشرطات، مثلًا border-security؛ لا يمكن تغييره لاحقًا.
form-error-topic-exists = يوجد موضوع بهذا الرمز من قبل.
form-error-topic-used = هناك لقاءات مصنّفة تحت هذا الموضوع، لذا يبقى.
organisations-tree-note = تبيّن الشجرة أيّ جهة جزء من أيّ جهة: السجل المُتاح لجهة يصل إلى الجهات التابعة لها. خطوط المرجعية («ترجع إلى») تظهر بجانبها ولا تمنح أحدًا صلاحية قراءة.
organisation-parent = جزء من
organisation-answers-to = ترجع إلى
organisation-answers-to-list = ترجع إلى { $org }
organisation-answers-to-note = الرجوع إلى جهة خطّ مرجعية فحسب: لا يتيح لأيّ من الطرفين قراءة سجلات الآخر.
organisation-answering = جهات ترجع إليها (وليست جزءًا منها)
engagement-place = المكان
place-kind = نوع المكان
place-point = الموقع
place-kind-country = دولة
place-kind-governorate = محافظة
place-kind-district = قضاء
place-kind-sub_district = ناحية
place-kind-city = مدينة
place-kind-town = بلدة
place-kind-village = قرية
place-kind-base = قاعدة
place-kind-border_crossing = منفذ حدودي
place-kind-checkpoint = نقطة تفتيش
place-kind-site = موقع
place-kind-other = أخرى
place-level-1 = محافظة
place-level-2 = قضاء
place-level-3 = ناحية
form-names = الأسماء
form-name-en = الاسم بالإنجليزية
form-name-ar = الاسم بالعربية
form-name-ckb = الاسم بالكوردية السورانية
form-aliases = تهجئات أخرى (واحدة في كل سطر)
form-abbreviation = الاختصار
form-owner = مالك السجل
form-org-id = المعرّف (اختياري)
form-org-id-hint = أحرف لاتينية صغيرة وأرقام وشرطات، مثلًا jcc-kirkuk؛ إن تُرك فارغًا أعطاه الخادم.
form-answers-to-hint = الجهات التي ترجع إليها غير الجهة التي هي جزء منها، مثلًا الوزارتان لمركز مشترك. لا يغيّر هذا صلاحيات أحد. اضغط Ctrl لاختيار أكثر من جهة.
form-structure-readonly = لا يغيّر موقع الجهة في الشجرة ونوعها إلا مدير النظام: فهما يحدّدان من يقرأ ماذا.
form-new-organisation = إضافة جهة
form-edit-organisation = تعديل { $name }
form-new-person = إضافة شخص
form-edit-person = تعديل { $name }
form-new-place = إضافة مكان
form-edit-place = تعديل { $name }
form-rank = الرتبة أو اللقب
form-position-n = المنصب { $n }
form-position-title = المسمّى
form-position-from = من (⁦2022⁩ أو ⁦2022-05⁩ أو ⁦2022-05-21⁩)
form-position-to = إلى (فارغ ما دام في المنصب)
form-add-position = إضافة منصب آخر
form-source-n = المصدر { $n }
form-add-source = إضافة مصدر آخر
form-add-participant = إضافة مشارك آخر
form-new-person-for = شخص جديد للمشارك { $n }
form-new-person-note = زر «شخص جديد» يحفظ كل ما كتبته هنا: بعد حفظ الشخص يعود هذا النموذج وقد اختير فيه.
form-person-for-engagement = يُضاف هذا الشخص إلى اللقاء الذي تسجّله؛ الحفظ يعيدك إليه بكل ما كتبته.
form-back-to-engagement = العودة إلى اللقاء دون إضافة
form-latitude = خط العرض (مثلًا 36.19)
form-longitude = خط الطول (مثلًا 44.01)
form-admin-unit = الوحدة الإدارية (الرمز P-code)
form-gazetteer = البحث في دليل الأماكن بالاسم (بأي أبجدية)
form-gazetteer-search = بحث
form-gazetteer-found = الوحدات الإدارية التي وُجدت: اختر واحدة لأخذ مركزها ورمزها
form-gazetteer-none = لا توجد وحدة إدارية بهذا الاسم.
form-locate = التحديد من النقطة
form-delete = حذف
form-delete-heading = حذف { $name }؟
form-delete-explain = لا يمكن التراجع عن الحذف. لا يُحذف سجل ما زالت سجلات أخرى تشير إليه.
form-delete-confirm = احذف { $name }
form-delete-referred = لم يُحذف: ما زالت سجلات أخرى تشير إليه.
form-delete-changed = لم يُحذف: غيّره شخص آخر في أثناء ذلك. اطّلع عليه مرة أخرى أولًا.
form-cancel = إلغاء
form-conflict = حفظ شخصٌ آخر هذا السجل في أثناء تعديلك له
form-conflict-who = حفظه { $user } في { $date }. تختلف نسخته عن نسختك هنا:
form-conflict-theirs = نسختهم:
form-conflict-yours = نسختك:
form-conflict-how = يحمل النموذج أدناه نسختك. خذ من نسختهم ما ينبغي أن يبقى ثم احفظ: حفظك يحلّ محلّ نسختهم.
form-conflict-start-over = أو ابدأ من جديد من نسختهم.
form-error-required = حقل مطلوب.
form-error-date = ليس تاريخًا: اكتب ⁦2025⁩ أو ⁦2025-05⁩ أو ⁦2025-05-21⁩.
form-error-number = ليس رقمًا.
form-error-latitude = يقع خط العرض بين -90 و90.
form-error-longitude = يقع خط الطول بين -180 و180.
form-error-point-half = أدخل خط العرض وخط الطول معًا، أو اتركهما فارغين.
form-error-name-needed = أدخل اسمًا بالإنجليزية أو العربية أو السورانية.
form-error-ends-before = ينتهي قبل أن يبدأ.
form-error-url = ليس عنوانًا على الويب: يبدأ بـ https:// أو http://.
form-error-id = أحرف لاتينية صغيرة a-z وأرقام و- و_ فقط (64 على الأكثر).
form-error-registry = لا يغيّر هذا إلا مدير النظام.
form-error-admin-unit = ليس رمزًا في دليل الأماكن (مثلًا IQG13 لمحافظة كركوك).
form-error-outside-iraq = لا تقع هذه النقطة في أي وحدة إدارية في العراق.
