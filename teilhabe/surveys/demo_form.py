"""The demo questionnaire (topics as in Oldenburg's survey) as an XLSForm workbook in seven languages.

``workbook_bytes()`` returns an .xlsx built with openpyxl: sheets survey, choices, settings, one
``label::<Language> (<code>)`` column per language. Used by the demo and the tests.
"""

from __future__ import annotations

import io

LANGS = [("Deutsch", "de"), ("English", "en"), ("العربية", "ar"), ("Українська", "uk"), ("Русский", "ru"), ("Türkçe", "tr"), ("فارسی", "fa")]

# name, type, [de, en, ar, uk, ru, tr, fa], required, relevant, constraint, constraint message, choice_filter, appearance
T = tuple[str, ...]
QUESTIONS: list[tuple[str, str, T, str, str, str, T | None, str, str]] = [
    ("intro", "note", ("Vielen Dank, dass Sie mitmachen. Die Befragung ist anonym.", "Thank you for taking part. The survey is anonymous.", "شكراً لمشاركتك. الاستبيان مجهول الهوية.", "Дякуємо за участь. Опитування анонімне.", "Спасибо за участие. Опрос анонимный.", "Katıldığınız için teşekkürler. Anket anonimdir.", "از شرکت شما سپاسگزاریم. این نظرسنجی ناشناس است."), "", "", "", None, "", ""),
    ("altersgruppe", "select_one alter", ("Wie alt sind Sie?", "How old are you?", "كم عمرك؟", "Скільки вам років?", "Сколько вам лет?", "Kaç yaşındasınız?", "چند سال دارید؟"), "yes", "", "", None, "", ""),
    ("geschlecht", "select_one geschlecht", ("Ihr Geschlecht", "Your sex", "الجنس", "Ваша стать", "Ваш пол", "Cinsiyetiniz", "جنسیت شما"), "yes", "", "", None, "", ""),
    ("staatsangehoerigkeit", "select_one natgruppe", ("Ihre Staatsangehörigkeit", "Your nationality", "جنسيتك", "Ваше громадянство", "Ваше гражданство", "Uyruğunuz", "تابعیت شما"), "yes", "", "", None, "", ""),
    ("gemeindegruppe", "select_one gemeinde", ("Wo wohnen Sie?", "Where do you live?", "أين تسكن؟", "Де ви живете?", "Где вы живёте?", "Nerede yaşıyorsunuz?", "کجا زندگی می‌کنید؟"), "yes", "", "", None, "", ""),
    ("jahre", "integer", ("Seit wie vielen Jahren leben Sie in Deutschland?", "How many years have you lived in Germany?", "منذ كم سنة تعيش في ألمانيا؟", "Скільки років ви живете в Німеччині?", "Сколько лет вы живёте в Германии?", "Kaç yıldır Almanya'da yaşıyorsunuz?", "چند سال است که در آلمان زندگی می‌کنید؟"), "yes", "", ". >= 0 and . <= 80", ("Bitte eine Zahl von 0 bis 80.", "Please enter a number from 0 to 80.", "الرجاء إدخال رقم من 0 إلى 80.", "Введіть число від 0 до 80.", "Введите число от 0 до 80.", "Lütfen 0 ile 80 arasında bir sayı girin.", "لطفاً عددی بین ۰ تا ۸۰ وارد کنید."), "", ""),
    ("arbeit", "select_one janein", ("Haben Sie zurzeit Arbeit?", "Do you currently have work?", "هل لديك عمل حالياً؟", "Чи маєте ви зараз роботу?", "Есть ли у вас сейчас работа?", "Şu anda bir işiniz var mı?", "آیا در حال حاضر کار دارید؟"), "yes", "", "", None, "", ""),
    ("stunden", "integer", ("Wie viele Stunden arbeiten Sie in der Woche?", "How many hours a week do you work?", "كم ساعة تعمل في الأسبوع؟", "Скільки годин на тиждень ви працюєте?", "Сколько часов в неделю вы работаете?", "Haftada kaç saat çalışıyorsunuz?", "هفته‌ای چند ساعت کار می‌کنید؟"), "yes", "${arbeit} = 'ja'", ". >= 1 and . <= 80", ("Bitte 1 bis 80 Stunden.", "Please enter 1 to 80 hours.", "الرجاء إدخال من 1 إلى 80 ساعة.", "Введіть від 1 до 80 годин.", "Введите от 1 до 80 часов.", "Lütfen 1 ile 80 saat arası girin.", "لطفاً بین ۱ تا ۸۰ ساعت وارد کنید."), "", ""),
    ("familie", "select_one janein", ("Lebt Ihre Kernfamilie (Ehepartner, Kinder) bei Ihnen in Deutschland?", "Does your immediate family (spouse, children) live with you in Germany?", "هل تعيش عائلتك (الزوج/الزوجة، الأطفال) معك في ألمانيا؟", "Чи живе ваша сім'я (чоловік/дружина, діти) з вами в Німеччині?", "Живёт ли ваша семья (супруг(а), дети) с вами в Германии?", "Çekirdek aileniz (eş, çocuklar) sizinle Almanya'da mı yaşıyor?", "آیا خانواده شما (همسر، فرزندان) با شما در آلمان زندگی می‌کنند؟"), "", "", "", None, "", ""),
    ("wohnen", "select_one wohnen", ("Wie wohnen Sie?", "How do you live?", "كيف تسكن؟", "Як ви живете?", "Как вы живёте?", "Nasıl oturuyorsunuz?", "چگونه زندگی می‌کنید؟"), "", "", "", None, "", ""),
    ("sprachen", "select_multiple sprache", ("Welche Sprachen sprechen Sie gut?", "Which languages do you speak well?", "ما اللغات التي تتحدثها جيداً؟", "Якими мовами ви добре володієте?", "Какими языками вы хорошо владеете?", "Hangi dilleri iyi konuşuyorsunuz?", "به چه زبان‌هایی خوب صحبت می‌کنید؟"), "", "", "", None, "", ""),
    ("hauptsprache", "select_one sprache", ("Welche davon sprechen Sie zu Hause am meisten?", "Which of them do you speak most at home?", "أي منها تتحدث أكثر في المنزل؟", "Якою з них ви найбільше розмовляєте вдома?", "На каком из них вы чаще говорите дома?", "Evde en çok hangisini konuşuyorsunuz?", "در خانه بیشتر به کدام صحبت می‌کنید؟"), "", "count-selected(${sprachen}) > 1", "", None, "selected(${sprachen}, name)", ""),
    ("deutsch", "select_one niveau", ("Wie gut sprechen Sie Deutsch?", "How well do you speak German?", "ما مدى إتقانك للغة الألمانية؟", "Наскільки добре ви говорите німецькою?", "Насколько хорошо вы говорите по-немецки?", "Almancanız ne kadar iyi?", "آلمانی را چقدر خوب صحبت می‌کنید؟"), "yes", "", "", None, "", ""),
    ("anerkennung", "select_one anerkennung", ("Wurde Ihr Berufsabschluss in Deutschland anerkannt?", "Has your vocational qualification been recognised in Germany?", "هل تم الاعتراف بمؤهلك المهني في ألمانيا؟", "Чи визнано вашу професійну кваліфікацію в Німеччині?", "Признана ли ваша профессиональная квалификация в Германии?", "Mesleki diplomanız Almanya'da tanındı mı?", "آیا مدرک حرفه‌ای شما در آلمان به رسمیت شناخته شده است؟"), "", "", "", None, "", ""),
    ("zugehoerigkeit", "select_one skala", ("Wie sehr fühlen Sie sich im Landkreis zu Hause?", "How much do you feel at home in the district?", "إلى أي مدى تشعر بأنك في بيتك في هذه المنطقة؟", "Наскільки ви почуваєтеся як вдома в районі?", "Насколько вы чувствуете себя как дома в районе?", "Kendinizi ilçede ne kadar evinizde hissediyorsunuz?", "چقدر در این شهرستان احساس در خانه بودن می‌کنید؟"), "yes", "", "", None, "", ""),
    ("diskriminierung", "select_one janein", ("Wurden Sie in den letzten 12 Monaten wegen Ihrer Herkunft benachteiligt?", "In the last 12 months, were you treated unfairly because of your origin?", "هل تعرضت للتمييز بسبب أصلك خلال الأشهر الـ12 الماضية؟", "Чи зазнавали ви дискримінації через походження за останні 12 місяців?", "Подвергались ли вы дискриминации из-за происхождения за последние 12 месяцев?", "Son 12 ayda kökeniniz nedeniyle ayrımcılığa uğradınız mı?", "آیا در ۱۲ ماه گذشته به خاطر اصلیت خود مورد تبعیض قرار گرفته‌اید؟"), "yes", "", "", None, "", ""),
    ("bleiben", "select_one bleiben", ("Möchten Sie im Landkreis bleiben?", "Would you like to stay in the district?", "هل ترغب في البقاء في المنطقة؟", "Чи хочете ви залишитися в районі?", "Хотите ли вы остаться в районе?", "İlçede kalmak istiyor musunuz?", "آیا می‌خواهید در این شهرستان بمانید؟"), "", "", "", None, "", ""),
    ("anmerkung", "text", ("Möchten Sie uns noch etwas sagen?", "Is there anything else you would like to tell us?", "هل تود إخبارنا بشيء آخر؟", "Чи хочете ви ще щось нам сказати?", "Хотите ли вы ещё что-нибудь нам сказать?", "Bize söylemek istediğiniz başka bir şey var mı?", "آیا می‌خواهید چیز دیگری به ما بگویید؟"), "", "", "", None, "", "multiline"),
]

CHOICES: list[tuple[str, str, T]] = [
    ("alter", "18-25", ("18 bis 24 Jahre", "18 to 24 years", "18 إلى 24 سنة", "18–24 роки", "18–24 года", "18-24 yaş", "۱۸ تا ۲۴ سال")),
    ("alter", "25-65", ("25 bis 64 Jahre", "25 to 64 years", "25 إلى 64 سنة", "25–64 роки", "25–64 года", "25-64 yaş", "۲۵ تا ۶۴ سال")),
    ("alter", "65+", ("65 Jahre und älter", "65 years and older", "65 سنة فأكثر", "65 років і більше", "65 лет и старше", "65 yaş ve üzeri", "۶۵ سال و بیشتر")),
    ("geschlecht", "w", ("weiblich", "female", "أنثى", "жіноча", "женский", "kadın", "زن")),
    ("geschlecht", "m", ("männlich", "male", "ذكر", "чоловіча", "мужской", "erkek", "مرد")),
    ("geschlecht", "x", ("divers / keine Angabe", "diverse / no answer", "متنوع / بدون إجابة", "інша / не вказано", "другой / без ответа", "diğer / belirtilmemiş", "دیگر / بدون پاسخ")),
    ("natgruppe", "eu27", ("EU-Staat", "EU country", "دولة في الاتحاد الأوروبي", "країна ЄС", "страна ЕС", "AB ülkesi", "کشور اتحادیه اروپا")),
    ("natgruppe", "ukraine", ("Ukraine", "Ukraine", "أوكرانيا", "Україна", "Украина", "Ukrayna", "اوکراین")),
    ("natgruppe", "europa", ("anderer europäischer Staat (z. B. Türkei, Russland)", "other European country (e.g. Turkey, Russia)", "دولة أوروبية أخرى (مثل تركيا، روسيا)", "інша європейська країна (напр. Туреччина, Росія)", "другая европейская страна (напр. Турция, Россия)", "diğer Avrupa ülkesi (ör. Türkiye, Rusya)", "کشور اروپایی دیگر (مثلاً ترکیه، روسیه)")),
    ("natgruppe", "asyl8", ("Syrien, Afghanistan, Irak, Iran, Eritrea, Somalia, Nigeria, Pakistan", "Syria, Afghanistan, Iraq, Iran, Eritrea, Somalia, Nigeria, Pakistan", "سوريا، أفغانستان، العراق، إيران، إريتريا، الصومال، نيجيريا، باكستان", "Сирія, Афганістан, Ірак, Іран, Еритрея, Сомалі, Нігерія, Пакистан", "Сирия, Афганистан, Ирак, Иран, Эритрея, Сомали, Нигерия, Пакистан", "Suriye, Afganistan, Irak, İran, Eritre, Somali, Nijerya, Pakistan", "سوریه، افغانستان، عراق، ایران، اریتره، سومالی، نیجریه، پاکستان")),
    ("natgruppe", "sonstige", ("anderer Staat", "other country", "دولة أخرى", "інша країна", "другая страна", "diğer ülke", "کشور دیگر")),
    ("gemeinde", "stadt", ("in einer der Städte des Landkreises", "in one of the district's towns", "في إحدى مدن المنطقة", "в одному з міст району", "в одном из городов района", "ilçenin şehirlerinden birinde", "در یکی از شهرهای شهرستان")),
    ("gemeinde", "land", ("in einer anderen Gemeinde des Landkreises", "in another municipality of the district", "في بلدية أخرى في المنطقة", "в іншій громаді району", "в другой общине района", "ilçenin başka bir belediyesinde", "در روستا یا شهرک دیگری از شهرستان")),
    ("janein", "ja", ("ja", "yes", "نعم", "так", "да", "evet", "بله")),
    ("janein", "nein", ("nein", "no", "لا", "ні", "нет", "hayır", "خیر")),
    ("wohnen", "wohnung", ("eigene Wohnung", "own flat", "شقة خاصة", "власна квартира", "собственная квартира", "kendi dairem", "آپارتمان شخصی")),
    ("wohnen", "gu", ("Gemeinschaftsunterkunft", "shared accommodation", "سكن جماعي", "гуртожиток", "общежитие", "toplu konaklama", "اقامتگاه جمعی")),
    ("wohnen", "sonstige", ("anders (z. B. bei Verwandten)", "other (e.g. with relatives)", "غير ذلك (مثلاً عند الأقارب)", "інакше (напр. у родичів)", "иначе (напр. у родственников)", "diğer (ör. akrabalarda)", "دیگر (مثلاً نزد اقوام)")),
    ("sprache", "de", ("Deutsch", "German", "الألمانية", "німецька", "немецкий", "Almanca", "آلمانی")),
    ("sprache", "ar", ("Arabisch", "Arabic", "العربية", "арабська", "арабский", "Arapça", "عربی")),
    ("sprache", "uk", ("Ukrainisch", "Ukrainian", "الأوكرانية", "українська", "украинский", "Ukraynaca", "اوکراینی")),
    ("sprache", "ru", ("Russisch", "Russian", "الروسية", "російська", "русский", "Rusça", "روسی")),
    ("sprache", "tr", ("Türkisch", "Turkish", "التركية", "турецька", "турецкий", "Türkçe", "ترکی")),
    ("sprache", "fa", ("Persisch/Dari", "Persian/Dari", "الفارسية/الدارية", "перська/дарі", "персидский/дари", "Farsça/Darice", "فارسی/دری")),
    ("sprache", "en", ("Englisch", "English", "الإنجليزية", "англійська", "английский", "İngilizce", "انگلیسی")),
    ("niveau", "keine", ("gar nicht", "not at all", "لا أتحدثها", "зовсім ні", "совсем нет", "hiç", "اصلاً")),
    ("niveau", "a", ("ein wenig (A1/A2)", "a little (A1/A2)", "قليلاً (A1/A2)", "трохи (A1/A2)", "немного (A1/A2)", "biraz (A1/A2)", "کمی (A1/A2)")),
    ("niveau", "b", ("gut (B1/B2)", "well (B1/B2)", "جيداً (B1/B2)", "добре (B1/B2)", "хорошо (B1/B2)", "iyi (B1/B2)", "خوب (B1/B2)")),
    ("niveau", "c", ("sehr gut (C1/C2)", "very well (C1/C2)", "جيداً جداً (C1/C2)", "дуже добре (C1/C2)", "очень хорошо (C1/C2)", "çok iyi (C1/C2)", "خیلی خوب (C1/C2)")),
    ("anerkennung", "ja", ("ja, anerkannt", "yes, recognised", "نعم، تم الاعتراف به", "так, визнано", "да, признана", "evet, tanındı", "بله، به رسمیت شناخته شد")),
    ("anerkennung", "laeuft", ("Verfahren läuft", "procedure ongoing", "الإجراء جارٍ", "процедура триває", "процедура идёт", "süreç devam ediyor", "در حال بررسی")),
    ("anerkennung", "nein", ("nein / nicht beantragt", "no / not applied for", "لا / لم أقدم طلباً", "ні / не подавали", "нет / не подавали", "hayır / başvurulmadı", "خیر / درخواست نداده‌ام")),
    ("anerkennung", "keiner", ("kein Berufsabschluss", "no vocational qualification", "لا يوجد مؤهل مهني", "немає кваліфікації", "нет квалификации", "meslek diploması yok", "مدرک حرفه‌ای ندارم")),
    ("skala", "1", ("1 – gar nicht", "1 – not at all", "1 – إطلاقاً", "1 – зовсім ні", "1 – совсем нет", "1 – hiç", "۱ – اصلاً")),
    ("skala", "2", ("2", "2", "2", "2", "2", "2", "۲")),
    ("skala", "3", ("3", "3", "3", "3", "3", "3", "۳")),
    ("skala", "4", ("4", "4", "4", "4", "4", "4", "۴")),
    ("skala", "5", ("5 – voll und ganz", "5 – completely", "5 – تماماً", "5 – повністю", "5 – полностью", "5 – tamamen", "۵ – کاملاً")),
    ("bleiben", "ja", ("ja", "yes", "نعم", "так", "да", "evet", "بله")),
    ("bleiben", "nein", ("nein", "no", "لا", "ні", "нет", "hayır", "خیر")),
    ("bleiben", "weiss_nicht", ("weiß noch nicht", "don't know yet", "لا أعرف بعد", "ще не знаю", "ещё не знаю", "henüz bilmiyorum", "هنوز نمی‌دانم")),
]
TITLE = ("Leben im Landkreis – Befragung von Zugewanderten", "Living in the district – survey of immigrants", "الحياة في المنطقة – استطلاع للمهاجرين", "Життя в районі – опитування мігрантів", "Жизнь в районе – опрос мигрантов", "İlçede yaşam – göçmen anketi", "زندگی در شهرستان – نظرسنجی از مهاجران")


def workbook_bytes(languages: list[tuple[str, str]] | None = None) -> bytes:
    from openpyxl import Workbook

    chosen = languages or LANGS
    index = [LANGS.index(lang) for lang in chosen]
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    cols = [f"label::{n} ({c})" for n, c in chosen]
    msgs = [f"constraint_message::{n} ({c})" for n, c in chosen]
    survey.append(["type", "name", *cols, "required", "relevant", "constraint", *msgs, "choice_filter", "appearance"])
    for name, qtype, labels, required, relevant, constraint, message, choice_filter, appearance in QUESTIONS:
        survey.append([qtype, name, *[labels[i] for i in index], required, relevant, constraint,
                       *[(message[i] if message else None) for i in index], choice_filter, appearance])  # fmt: skip
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *cols])
    for list_name, name, labels in CHOICES:
        choices.append([list_name, name, *[labels[i] for i in index]])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([TITLE[index[0]], "leben_im_landkreis", f"{chosen[0][0]} ({chosen[0][1]})"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
