"""The built-in lexicons: they load, every cue is covered in every language, and they fire on
natural phrasing but not on the everyday chat that most resembles it.

The phrases here are written for these tests (they are not copied from the demo data set), in the
spelling people actually type: Vietnamese and Spanish with and without diacritics, chat shorthand.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from childguard.detectors.cues import CUES, MODEL_CUES
from childguard.detectors.lexicon import Lexicon, builtin_lexicons
from childguard.detectors.normalize import normalize
from childguard.detectors.text_patterns import PROTECTIVE_DAMPING, TextPatternDetector
from childguard.domain import Category, Message

LANGUAGES = ("en", "es", "vi", "zh")
#: Cues with a shape (digits, @) are found by personal_info.py, not by lexicon phrases.
STRUCTURED_CUES = frozenset({"phone_number", "email_address"})


@pytest.fixture(scope="module")
def lexicons() -> dict[str, Lexicon]:
    return {lex.language: lex for lex in builtin_lexicons()}


@pytest.fixture(scope="module")
def detector() -> TextPatternDetector:
    return TextPatternDetector()


def _message(text: str) -> Message:
    return Message(
        conversation_id="c1",
        message_id="m1",
        sender_id="a",
        recipient_ids=("b",),
        sent_at=dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC),
        text=text,
    )


def _cues(detector: TextPatternDetector, text: str) -> dict[str, float]:
    return {ev.cue: ev.weight for sig in detector.detect_message(_message(text), {}) for ev in sig.evidence if ev.cue}


def test_all_four_lexicons_load(lexicons: dict[str, Lexicon]) -> None:
    assert set(lexicons) == set(LANGUAGES)
    for lex in lexicons.values():
        assert lex.protective is not None, lex.language
        assert lex.rules


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_phrase_cue_has_patterns(lexicons: dict[str, Lexicon], language: str) -> None:
    covered = {rule.spec.name for rule in lexicons[language].rules}
    assert covered == set(CUES) - STRUCTURED_CUES - MODEL_CUES


# ---------------------------------------------------------------------------------------- positives
# (language, cue, phrase): the phrase must produce the cue.
POSITIVES = [
    # English
    ("en", "flattery", "honestly ur so mature for ur age"),
    ("en", "flattery", "you're really beautiful, you know that?"),
    ("en", "relationship", "i think i'm falling for you"),
    ("en", "relationship", "will you be my gf"),
    ("en", "gifts", "i can buy u robux if u want"),
    ("en", "gifts", "want some free vbucks?"),
    ("en", "age_probe", "how old are u btw"),
    ("en", "age_probe", "what grade r u in"),
    ("en", "situation_probe", "is ur mom home rn?"),
    ("en", "situation_probe", "r u alone in ur room"),
    ("en", "secrecy", "don't tell anyone we talk ok"),
    ("en", "secrecy", "delete our chat after you read this"),
    ("en", "secrecy", "if anyone asks, just say i'm your cousin"),
    ("en", "isolation", "your parents don't understand you like i do"),
    ("en", "isolation", "nobody else gets you like me"),
    ("en", "platform_move", "add me on telegram, it's more private"),
    ("en", "platform_move", "what's your whatsapp"),
    ("en", "photo_request", "can u send me a pic of u"),
    ("en", "photo_request", "send me a pic of you in your bikini"),
    ("en", "sexual_talk", "are u still a virgin"),
    ("en", "sexual_talk", "what r u wearing right now"),
    ("en", "meet_proposal", "we should meet up irl sometime"),
    ("en", "meet_proposal", "meet me behind the library after school"),
    ("en", "has_images", "i've still got the nudes you sent me"),
    ("en", "has_images", "i recorded our video call"),
    ("en", "threat_to_share", "i'll post them on instagram for everyone"),
    ("en", "threat_to_share", "everyone at your school will see them"),
    ("en", "payment_demand", "send me $200 on cashapp"),
    ("en", "payment_demand", "buy me a $100 steam card or else"),
    ("en", "more_images_demand", "send more pics or i'll leak the ones i have"),
    ("en", "more_images_demand", "do what i tell you or else"),
    ("en", "deadline", "u have 30 minutes"),
    ("en", "deadline", "you have until midnight"),
    ("en", "authority_impersonation", "hello, i am detective harris from the cybercrime unit"),
    ("en", "authority_impersonation", "this is the police, we need to speak to you"),
    ("en", "crime_accusation", "you are under investigation for fraud"),
    ("en", "crime_accusation", "your sim card was used in a drug trafficking operation"),
    ("en", "secrecy_order", "this case is confidential and you cannot tell your family"),
    ("en", "secrecy_order", "if you tell your parents they will be arrested too"),
    ("en", "isolation_order", "you need to check in to a motel tonight"),
    ("en", "isolation_order", "leave your house now without telling anyone"),
    ("en", "surveillance_order", "don't hang up the call"),
    ("en", "surveillance_order", "switch off your location sharing now"),
    ("en", "ransom_demand", "your parents have to transfer the money today"),
    ("en", "ransom_demand", "wire the funds to this account"),
    ("en", "insult", "you're such a loser"),
    ("en", "insult", "shut up you fat freak"),
    ("en", "exclusion", "no one wants you at the party"),
    ("en", "exclusion", "everybody hates you"),
    ("en", "violence_threat", "i'm going to punch you tomorrow"),
    ("en", "violence_threat", "i know where u live"),
    ("en", "self_harm_incitement", "just go kill yourself"),
    ("en", "self_harm_incitement", "the world would be better without you"),
    ("en", "humiliation_sharing", "i posted your ugly pic on my story"),
    ("en", "humiliation_sharing", "the whole class has seen that video"),
    ("en", "suicidal_intent", "i don't want to live anymore"),
    ("en", "suicidal_intent", "i'm going to end it all"),
    ("en", "self_injury", "i've been cutting again"),
    ("en", "self_injury", "i burn myself when it gets bad"),
    ("en", "plan", "i've been collecting pills for a month"),
    ("en", "plan", "tomorrow i'm going to jump off the bridge"),
    ("en", "hopelessness", "there's no point in living"),
    ("en", "hopelessness", "i'm just a burden to everyone"),
    ("en", "goodbye", "this is my last message, goodbye"),
    ("en", "goodbye", "you won't hear from me again"),
    ("en", "explicit", "i want to have sex with u"),
    ("en", "explicit", "i'm so horny for you"),
    ("en", "explicit_image_share", "want to see me naked?"),
    ("en", "explicit_image_share", "sending u a dick pic"),
    ("en", "school", "i go to lincoln middle school"),
    ("en", "school", "my school is called st marys"),
    ("en", "live_location", "i'm at the skate park right now"),
    ("en", "live_location", "sharing my live location with you"),
    ("en", "routine", "i walk home alone every day"),
    ("en", "routine", "my parents aren't home until 8"),
    ("en", "home_address", "my address is 5 elm street"),
    ("en", "home_address", "i live on maple avenue"),
    # Vietnamese (typed with and without tone marks, with teen shorthand)
    ("vi", "flattery", "em xinh quá, chắc nhiều người theo lắm"),
    ("vi", "flattery", "em chin chan hon tuoi day"),
    ("vi", "relationship", "anh yêu em thật lòng"),
    ("vi", "relationship", "làm người yêu anh nhé"),
    ("vi", "gifts", "anh nạp thẻ game cho em nhé"),
    ("vi", "gifts", "em thích gì anh mua cho"),
    ("vi", "age_probe", "e bn tuổi r"),
    ("vi", "age_probe", "em học lớp mấy"),
    ("vi", "situation_probe", "em đang ở nhà một mình à"),
    ("vi", "situation_probe", "nha em co ai khong"),
    ("vi", "secrecy", "đừng nói với ai chuyện này nhé"),
    ("vi", "secrecy", "k dc kể vs bme đâu đấy"),
    ("vi", "isolation", "bố mẹ em không hiểu em đâu"),
    ("vi", "isolation", "chỉ có anh mới hiểu em thôi"),
    ("vi", "platform_move", "cho anh xin zalo của em"),
    ("vi", "platform_move", "mình nhắn qua tele cho tiện nhé"),
    ("vi", "photo_request", "chụp cho anh vài tấm ảnh đi"),
    ("vi", "photo_request", "gửi ảnh nóng cho anh xem đi"),
    ("vi", "sexual_talk", "em đã hôn ai bao giờ chưa"),
    ("vi", "sexual_talk", "em đang mặc gì đấy"),
    ("vi", "meet_proposal", "tối nay gặp nhau đi"),
    ("vi", "meet_proposal", "anh qua đón em nhé"),
    ("vi", "has_images", "tao có clip nóng của mày"),
    ("vi", "has_images", "anh đã quay lại màn hình cuộc gọi rồi"),
    ("vi", "threat_to_share", "không chuyển tiền thì tao đăng lên facebook"),
    ("vi", "threat_to_share", "tao sẽ gửi clip cho cả lớp mày xem"),
    ("vi", "payment_demand", "ck cho tao 2tr ngay"),
    ("vi", "payment_demand", "mua thẻ cào 500k gửi tao"),
    ("vi", "more_images_demand", "gửi thêm ảnh nữa không thì tao đăng"),
    ("vi", "more_images_demand", "làm theo lời tao không thì đừng trách"),
    ("vi", "deadline", "trong vòng 1 tiếng"),
    ("vi", "deadline", "trước 10h tối nay"),
    ("vi", "authority_impersonation", "tôi là thiếu tá công an thành phố"),
    ("vi", "authority_impersonation", "đây là cơ quan cảnh sát điều tra"),
    ("vi", "crime_accusation", "em có liên quan đến vụ án ma túy"),
    ("vi", "crime_accusation", "em sẽ bị khởi tố"),
    ("vi", "secrecy_order", "không được tiết lộ cho bất kỳ ai, kể cả gia đình"),
    ("vi", "secrecy_order", "đây là vụ án tuyệt mật"),
    ("vi", "isolation_order", "em đến nhà nghỉ gần đó ở một mình"),
    ("vi", "isolation_order", "thuê phòng khách sạn ngay"),
    ("vi", "surveillance_order", "luôn bật camera cho anh theo dõi"),
    ("vi", "surveillance_order", "tắt định vị điện thoại ngay"),
    ("vi", "ransom_demand", "chuyển 50 triệu vào tài khoản tạm giữ"),
    ("vi", "ransom_demand", "nộp tiền bảo lãnh thì con chị mới được thả"),
    ("vi", "insult", "mày ngu như bò"),
    ("vi", "insult", "đồ óc chó"),
    ("vi", "exclusion", "không ai thèm chơi với mày đâu"),
    ("vi", "exclusion", "cả lớp ghét mày lắm"),
    ("vi", "violence_threat", "tan học ra cổng trường tao xử mày"),
    ("vi", "violence_threat", "tao biết nhà mày ở đâu"),
    ("vi", "self_harm_incitement", "mày tự tử đi cho rồi"),
    ("vi", "self_harm_incitement", "sao mày không chết đi"),
    ("vi", "humiliation_sharing", "tao post ảnh xấu của nó lên group lớp rồi"),
    ("vi", "humiliation_sharing", "cả trường đều xem clip của nó rồi"),
    ("vi", "suicidal_intent", "t chỉ muốn chết thôi"),
    ("vi", "suicidal_intent", "mình không muốn sống nữa"),
    ("vi", "self_injury", "tao lại cắt tay rồi"),
    ("vi", "self_injury", "mình hay tự làm đau bản thân"),
    ("vi", "plan", "tao đã mua đủ thuốc ngủ rồi"),
    ("vi", "plan", "viết sẵn thư tuyệt mệnh rồi"),
    ("vi", "hopelessness", "sống cũng chẳng để làm gì"),
    ("vi", "hopelessness", "mọi người sẽ vui hơn khi không có tao"),
    ("vi", "goodbye", "vĩnh biệt mọi người"),
    ("vi", "goodbye", "đây là tin nhắn cuối cùng của mình"),
    ("vi", "explicit", "anh muốn làm tình với em"),
    ("vi", "explicit_image_share", "anh gửi em ảnh nude của anh nhé"),
    ("vi", "explicit_image_share", "muốn xem chim của anh không"),
    ("vi", "school", "em học ở trường THCS Lê Lợi"),
    ("vi", "school", "trường của mình là Trần Phú"),
    ("vi", "live_location", "mình gửi định vị cho cậu nè"),
    ("vi", "live_location", "em đang ở công viên Thống Nhất ngay bây giờ"),
    ("vi", "routine", "chiều nào em cũng ở nhà một mình"),
    ("vi", "routine", "bố mẹ em đi làm đến 8h mới về"),
    ("vi", "home_address", "nhà em ở số 10 phố Huế"),
    ("vi", "home_address", "địa chỉ nhà mình là 45 Lê Lai"),
    # Spanish (with and without accents, Spain and Latin America)
    ("es", "flattery", "eres muy madura para tu edad"),
    ("es", "flattery", "qué linda sos de verdad"),
    ("es", "relationship", "creo que me estoy enamorando de ti"),
    ("es", "relationship", "¿quieres ser mi novia?"),
    ("es", "gifts", "te compro robux si quieres"),
    ("es", "gifts", "te paso saldo para el movil"),
    ("es", "age_probe", "¿cuántos años tenés?"),
    ("es", "age_probe", "¿en qué curso vas?"),
    ("es", "situation_probe", "¿estás sola en casa?"),
    ("es", "situation_probe", "a que hora vuelven tus padres"),
    ("es", "secrecy", "no le cuentes a nadie lo nuestro"),
    ("es", "secrecy", "borra el chat cuando lo leas"),
    ("es", "isolation", "tus padres no te entienden como yo"),
    ("es", "isolation", "solo yo te entiendo de verdad"),
    ("es", "platform_move", "agrégame al snap"),
    ("es", "platform_move", "hablemos por telegram mejor"),
    ("es", "photo_request", "mándame una foto en ropa interior"),
    ("es", "photo_request", "prende la cámara un rato"),
    ("es", "sexual_talk", "¿eres virgen?"),
    ("es", "sexual_talk", "¿alguna vez has besado a alguien?"),
    ("es", "meet_proposal", "¿quieres que nos veamos el sábado?"),
    ("es", "meet_proposal", "te paso a buscar a tu casa, vente a mi depa"),
    ("es", "has_images", "tengo todos tus videos guardados"),
    ("es", "has_images", "te grabé en la videollamada"),
    ("es", "threat_to_share", "voy a publicar tus fotos en internet"),
    ("es", "threat_to_share", "si no pagas, se las mando a todos tus amigos"),
    ("es", "payment_demand", "transfiéreme 300 dólares"),
    ("es", "payment_demand", "mándame el dinero por bizum ya"),
    ("es", "more_images_demand", "mándame otro video o lo subo"),
    ("es", "more_images_demand", "haz lo que te digo o te arrepentirás"),
    ("es", "deadline", "tienes 24 horas"),
    ("es", "deadline", "última oportunidad"),
    ("es", "authority_impersonation", "le habla el agente Ramírez de la Guardia Civil"),
    ("es", "authority_impersonation", "soy el inspector García de la policía nacional"),
    ("es", "crime_accusation", "estás implicado en un caso de blanqueo de capitales"),
    ("es", "crime_accusation", "hay una orden de arresto contra ti"),
    ("es", "secrecy_order", "la investigación es confidencial"),
    ("es", "secrecy_order", "si le cuentas a tus padres te van a detener a ti también"),
    ("es", "isolation_order", "ve a un hotel y no salgas"),
    ("es", "isolation_order", "reserva una habitación tú sola"),
    ("es", "surveillance_order", "mantén la cámara encendida todo el tiempo"),
    ("es", "surveillance_order", "apaga tu ubicación ahora"),
    ("es", "ransom_demand", "tus padres tienen que pagar la fianza hoy"),
    ("es", "ransom_demand", "deposite el dinero en la cuenta segura"),
    ("es", "insult", "eres un inútil"),
    ("es", "insult", "cállate gorda"),
    ("es", "exclusion", "nadie te quiere aquí"),
    ("es", "exclusion", "todos te odian"),
    ("es", "violence_threat", "te voy a partir la cara"),
    ("es", "violence_threat", "sé dónde vives"),
    ("es", "self_harm_incitement", "ojalá te mueras"),
    ("es", "self_harm_incitement", "suicídate ya"),
    ("es", "humiliation_sharing", "subí tu foto al grupo de la clase"),
    ("es", "humiliation_sharing", "toda la clase ya vio tu video"),
    ("es", "suicidal_intent", "ya no quiero vivir"),
    ("es", "suicidal_intent", "me quiero quitar la vida"),
    ("es", "self_injury", "me corto los brazos cuando estoy mal"),
    ("es", "self_injury", "me hago daño a propósito"),
    ("es", "plan", "he guardado pastillas para esta noche"),
    ("es", "plan", "escribí una carta de despedida"),
    ("es", "hopelessness", "estarían mejor sin mí"),
    ("es", "hopelessness", "ya no aguanto más"),
    ("es", "goodbye", "este es mi último mensaje"),
    ("es", "goodbye", "adiós para siempre"),
    ("es", "explicit", "quiero tener sexo contigo"),
    ("es", "explicit", "me pones muy caliente"),
    ("es", "explicit_image_share", "¿quieres ver mi polla?"),
    ("es", "explicit_image_share", "te mando un video porno"),
    ("es", "school", "voy al colegio San José"),
    ("es", "school", "mi insti se llama IES Cervantes"),
    ("es", "live_location", "te comparto mi ubicación"),
    ("es", "live_location", "estoy en la plaza mayor ahora mismo"),
    ("es", "routine", "vuelvo sola a casa todos los días"),
    ("es", "routine", "mis padres no llegan hasta las 9"),
    ("es", "home_address", "vivo en la calle Mayor"),
    ("es", "home_address", "mi dirección es avenida Sol 4"),
    # Chinese (Simplified, with a few Traditional forms)
    ("zh", "flattery", "你比同龄人成熟多了"),
    ("zh", "flattery", "妳真漂亮"),
    ("zh", "relationship", "我喜欢你很久了"),
    ("zh", "relationship", "做我女朋友好不好"),
    ("zh", "gifts", "我给你充点券"),
    ("zh", "gifts", "送你一个新手机"),
    ("zh", "age_probe", "你几岁了"),
    ("zh", "age_probe", "你讀幾年級"),
    ("zh", "situation_probe", "你一个人在家吗"),
    ("zh", "situation_probe", "你爸妈在家吗"),
    ("zh", "secrecy", "别告诉你妈妈"),
    ("zh", "secrecy", "这是我们之间的秘密"),
    ("zh", "isolation", "你爸妈根本不懂你"),
    ("zh", "isolation", "只有我才理解你"),
    ("zh", "platform_move", "加我qq吧"),
    ("zh", "platform_move", "你微信号多少"),
    ("zh", "photo_request", "发张自拍给我"),
    ("zh", "photo_request", "开摄像头给我看看"),
    ("zh", "sexual_talk", "你还是处女吗"),
    ("zh", "sexual_talk", "你现在穿什么"),
    ("zh", "meet_proposal", "我们见个面吧"),
    ("zh", "meet_proposal", "放学后我去接你"),
    ("zh", "has_images", "我存了你的裸照"),
    ("zh", "has_images", "视频我都录下来了"),
    ("zh", "threat_to_share", "不然我就把照片发出去"),
    ("zh", "threat_to_share", "我会把你的视频传到网上"),
    ("zh", "payment_demand", "给我转500块"),
    ("zh", "payment_demand", "去买礼品卡给我"),
    ("zh", "more_images_demand", "再发几张"),
    ("zh", "more_images_demand", "照我说的做，不然后果自负"),
    ("zh", "deadline", "24小时之内"),
    ("zh", "deadline", "今晚12点之前，不然我就发"),
    ("zh", "authority_impersonation", "我是派出所的民警"),
    ("zh", "authority_impersonation", "我们是检察院的工作人员"),
    ("zh", "crime_accusation", "你涉嫌诈骗"),
    ("zh", "crime_accusation", "你会被拘留"),
    ("zh", "secrecy_order", "这个案件需要保密"),
    ("zh", "secrecy_order", "不准告诉家人，否则影响调查"),
    ("zh", "isolation_order", "你去附近的宾馆住一晚"),
    ("zh", "isolation_order", "马上离开家"),
    ("zh", "surveillance_order", "全程保持视频通话"),
    ("zh", "surveillance_order", "关掉定位"),
    ("zh", "ransom_demand", "把钱转到安全账户"),
    ("zh", "ransom_demand", "交五万保证金"),
    ("zh", "insult", "你就是个废物"),
    ("zh", "insult", "死胖子"),
    ("zh", "exclusion", "没人喜欢你"),
    ("zh", "exclusion", "全班都讨厌你"),
    ("zh", "violence_threat", "放学别走"),
    ("zh", "violence_threat", "我要打死你"),
    ("zh", "self_harm_incitement", "你怎么不去死"),
    ("zh", "self_harm_incitement", "去死吧"),
    ("zh", "humiliation_sharing", "全班都看到你的丑照了"),
    ("zh", "humiliation_sharing", "把她的视频发到群里"),
    ("zh", "suicidal_intent", "我不想活了"),
    ("zh", "suicidal_intent", "我想自杀"),
    ("zh", "self_injury", "我又割腕了"),
    ("zh", "self_injury", "我会划自己的手臂"),
    ("zh", "plan", "我买了一瓶安眠药"),
    ("zh", "plan", "遗书已经写好了"),
    ("zh", "hopelessness", "活着没有意思"),
    ("zh", "hopelessness", "我就是个累赘"),
    ("zh", "goodbye", "永别了"),
    ("zh", "goodbye", "这是我最后一条消息"),
    ("zh", "explicit", "我想和你上床"),
    ("zh", "explicit_image_share", "想看我的裸照吗"),
    ("zh", "explicit_image_share", "发你一个黄片链接"),
    ("zh", "school", "我在北京市第五中学上学"),
    ("zh", "school", "我们学校叫实验中学"),
    ("zh", "live_location", "我现在一个人在公园门口"),
    ("zh", "live_location", "我发定位给你"),
    ("zh", "routine", "放学后我一个人回家"),
    ("zh", "routine", "我爸妈晚上10点才回来"),
    ("zh", "home_address", "我家住在人民路88号"),
    ("zh", "home_address", "我的地址是幸福小区"),
]


@pytest.mark.parametrize(("language", "cue", "phrase"), POSITIVES)
def test_phrase_produces_cue(detector: TextPatternDetector, language: str, cue: str, phrase: str) -> None:
    found = _cues(detector, phrase)
    assert cue in found, f"[{language}] {phrase!r} gave {sorted(found)}, expected {cue}"


def test_positive_table_covers_every_cue_in_every_language() -> None:
    covered = {(lang, cue) for lang, cue, _ in POSITIVES}
    expected = {(lang, cue) for lang in LANGUAGES for cue in set(CUES) - STRUCTURED_CUES - MODEL_CUES}
    assert expected - covered == set()


# ---------------------------------------------------------------------------------------- hard negatives
# (language, category, phrase): ordinary chat that resembles a cue; no cue of the category may fire.
G, SX, OK, CB, SH, SC, PI = (
    Category.GROOMING,
    Category.SEXTORTION,
    Category.ONLINE_KIDNAPPING,
    Category.CYBERBULLYING,
    Category.SELF_HARM,
    Category.SEXUAL_CONTENT,
    Category.PERSONAL_INFO,
)
NEGATIVES = [
    # English
    ("en", G, "don't tell grandma about the party, it's a surprise!"),
    ("en", G, "send me the pics from the trip when you get home"),
    ("en", G, "can u send a pic of the maths homework"),
    ("en", G, "i'll pick you up from school at 3"),
    ("en", G, "how old is your dog now?"),
    ("en", G, "i'll send you a pic later"),
    ("en", CB, "i'm gonna kill you in the next round lol"),
    ("en", CB, "this homework is killing me"),
    ("en", CB, "please don't hurt yourself, talk to me"),
    ("en", CB, "ur pretty good at this game"),
    ("en", SH, "i want to die of embarrassment"),
    ("en", SH, "i'm dying of laughter 😂"),
    ("en", SH, "lol i'm dead"),
    ("en", SH, "i want to die fast so i can respawn"),
    ("en", SX, "i'll send it to you tomorrow"),
    ("en", SX, "can you pay me back the $20 for pizza"),
    ("en", SX, "i have your photos from the school trip, they're so cute"),
    ("en", OK, "we booked a hotel room for our holiday"),
    ("en", OK, "my dad is a police officer"),
    ("en", SC, "ugh this essay sucks"),
    ("en", PI, "i'm at home rn"),
    ("en", PI, "i'm in class right now"),
    # Vietnamese
    ("vi", G, "con đừng nói với bố nhé, mai sinh nhật bố"),
    ("vi", G, "chiều mẹ đón con ở trường lúc 5h nhé"),
    ("vi", G, "gửi mẹ mấy tấm ảnh chuyến đi với lớp nhé"),
    ("vi", SH, "nóng muốn chết"),
    ("vi", SH, "tao chết chắc rồi, quên làm bài tập"),
    ("vi", SH, "t muốn chết vì bài kiểm tra toán =))"),
    ("vi", SH, "mệt chết đi được"),
    ("vi", CB, "tao giết mày ván sau nhé"),
    ("vi", CB, "con chó nhà tớ dễ thương lắm"),
    ("vi", CB, "từ từ thôi, đừng vội"),
    ("vi", CB, "nhớ mày chết đi được"),
    ("vi", SX, "gửi ảnh cho bố mẹ xem đi con"),
    ("vi", SX, "nhớ chuyển tiền học 500k cho cô nhé"),
    ("vi", OK, "cả nhà mình đặt phòng khách sạn ở Đà Lạt rồi"),
    ("vi", OK, "bố tớ là công an"),
    ("vi", PI, "nhà mình ở Hà Nội"),
    # Spanish
    ("es", G, "no le digas a papá, es una sorpresa para su cumple"),
    ("es", G, "mándame las fotos del viaje"),
    ("es", G, "nos vemos mañana en clase"),
    ("es", SH, "me muero de risa jajaja"),
    ("es", SH, "me quiero morir de la vergüenza"),
    ("es", SH, "este examen me va a matar"),
    ("es", CB, "te voy a matar en la próxima partida"),
    ("es", CB, "no te hagas daño, no estás sola"),
    ("es", SX, "te paso los 20 euros de la pizza"),
    ("es", OK, "reservamos una habitación para las vacaciones"),
    ("es", PI, "estoy en clase ahora"),
    ("es", G, "te quiero mucho amiga"),
    # Chinese
    ("zh", SH, "笑死我了"),
    ("zh", SH, "累死了"),
    ("zh", SH, "我想死你了"),
    ("zh", SH, "作业多得我想死"),
    ("zh", CB, "下一局我打死你"),
    ("zh", G, "别告诉爸爸，明天是他的生日惊喜"),
    ("zh", G, "奶奶想看你表演的照片，发几张"),
    ("zh", SX, "把作业拍照发到班级群里"),
    ("zh", SX, "打110报警"),
    ("zh", OK, "我们全家去酒店住"),
    ("zh", PI, "我住在北京"),
]


@pytest.mark.parametrize(("language", "category", "phrase"), NEGATIVES)
def test_hard_negative_has_no_cue_of_category(
    detector: TextPatternDetector, language: str, category: Category, phrase: str
) -> None:
    hits = [
        ev.cue
        for sig in detector.detect_message(_message(phrase), {})
        if sig.category is category
        for ev in sig.evidence
    ]
    assert hits == [], f"[{language}] {phrase!r} gave {category.value} cues {hits}"


# ---------------------------------------------------------------------------------------- protective
# Safety-awareness and support messages each lexicon's `protective` patterns must recognise.
SAFETY_MESSAGES = [
    ("en", "scammers pretend to be police and tell you not to tell your parents - never pay, report them"),
    ("en", "if you ever feel like hurting yourself, talk to someone or call a helpline"),
    ("en", "if someone asks you for photos, tell a trusted adult"),
    ("en", "Sextortion alert: if someone threatens to share your photos, it's not your fault. Block them."),
    ("vi", "kẻ gian giả danh công an và bảo em không được nói với bố mẹ, đừng bao giờ chuyển tiền nhé"),
    ("vi", "nếu em có ý định làm hại bản thân, hãy gọi tổng đài 111"),
    ("vi", "neu co nguoi la de doa gui anh cua ban len mang, hay chan tai khoan do"),
    ("es", "los estafadores se hacen pasar por policías y te dicen que no se lo cuentes a tus padres: nunca pagues"),
    ("es", "si alguna vez sientes ganas de hacerte daño, habla con alguien de confianza o llama al 024"),
    ("es", "Si alguien te pide fotos y te amenaza, no es tu culpa. Bloquéalo y cuéntaselo a un adulto."),
    ("zh", "骗子会冒充警察，叫你不要告诉父母，千万不要转账"),
    ("zh", "如果你有轻生的念头，请拨打心理援助热线"),
    ("zh", "如果有人威胁要公开你的照片，不是你的错，马上告诉老师"),
]


@pytest.mark.parametrize(("language", "text"), SAFETY_MESSAGES)
def test_protective_patterns_recognise_safety_messages(lexicons: dict[str, Lexicon], language: str, text: str) -> None:
    protective = lexicons[language].protective
    assert protective is not None
    assert protective.search(normalize(text)), text


# A warning quoting a cue keeps the cue, at a reduced weight: (language, cue, text).
DAMPED = [
    ("en", "secrecy", "if someone online says 'don't tell your parents', block them and report it"),
    ("en", "flattery", "never send photos to people who say you're so mature for your age"),
    ("vi", "secrecy", "nếu có người lạ bảo em đừng nói với bố mẹ, hãy báo ngay cho thầy cô"),
    ("es", "secrecy", "si alguien te dice que no le digas a tus padres, cuéntaselo a un adulto de confianza"),
    ("zh", "secrecy", "如果有人让你别告诉父母，要马上告诉老师"),
]


@pytest.mark.parametrize(("language", "cue", "text"), DAMPED)
def test_cues_in_protective_messages_are_damped(
    detector: TextPatternDetector, language: str, cue: str, text: str
) -> None:
    found = _cues(detector, text)
    assert cue in found, f"[{language}] {text!r} gave {sorted(found)}"
    assert found[cue] == pytest.approx(CUES[cue].weight * PROTECTIVE_DAMPING)


# ---------------------------------------------------------------------------------------- speed
ADVERSARIAL = [
    "a" * 5000,
    "you " * 2000,
    "i live at " * 800,
    "em anh em anh " * 600,
    "no le digas a " * 500,
    "你你你你我我" * 800,
    ("send me a pic " + "x" * 40 + " ") * 200,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_long_repetitive_text_is_fast(detector: TextPatternDetector, text: str) -> None:
    start = time.perf_counter()
    detector.detect_message(_message(text), {})
    assert time.perf_counter() - start < 1.0
