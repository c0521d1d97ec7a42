"""Offline language detectors compared on news-like text of this project's own writing.

    python benchmarks/language_detection.py

For each candidate: accuracy on one-sentence snippets and on short articles (three sentences),
and articles per second. The pipeline uses the one this chose (see docs/input.md, "Language").
"""
from __future__ import annotations

import time

# Written for this benchmark: three news sentences per language (ISO 639-1 codes).
SAMPLES = {
    "en": ["The two leaders met in the capital on Tuesday to discuss trade and security.",
           "Parliament approved a larger military budget after a long debate.",
           "The government said new duties on imported steel would take effect next month."],
    "fr": ["Les deux dirigeants se sont rencontrés mardi dans la capitale pour parler de commerce.",
           "Le parlement a approuvé un budget militaire plus important après un long débat.",
           "Le gouvernement a annoncé de nouveaux droits de douane sur l'acier importé."],
    "de": ["Die beiden Regierungschefs trafen sich am Dienstag in der Hauptstadt zu Gesprächen.",
           "Das Parlament billigte nach langer Debatte einen höheren Verteidigungshaushalt.",
           "Die Regierung kündigte neue Zölle auf importierten Stahl für den nächsten Monat an."],
    "es": ["Los dos presidentes se reunieron el martes en la capital para hablar de comercio.",
           "El parlamento aprobó un presupuesto militar mayor tras un largo debate.",
           "El gobierno anunció nuevos aranceles sobre el acero importado a partir del próximo mes."],
    "it": ["I due leader si sono incontrati martedì nella capitale per discutere di commercio.",
           "Il parlamento ha approvato un bilancio militare più alto dopo un lungo dibattito.",
           "Il governo ha annunciato nuovi dazi sull'acciaio importato dal mese prossimo."],
    "pt": ["Os dois presidentes reuniram-se na terça-feira na capital para discutir comércio.",
           "O parlamento aprovou um orçamento militar maior depois de um longo debate.",
           "O governo anunciou novas tarifas sobre o aço importado a partir do próximo mês."],
    "nl": ["De twee leiders ontmoetten elkaar dinsdag in de hoofdstad om over handel te praten.",
           "Het parlement keurde na een lang debat een hogere defensiebegroting goed.",
           "De regering kondigde nieuwe invoerheffingen op staal aan voor volgende maand."],
    "ru": ["Два лидера встретились во вторник в столице, чтобы обсудить торговлю.",
           "Парламент после долгих дебатов одобрил увеличенный военный бюджет.",
           "Правительство объявило о новых пошлинах на импортную сталь со следующего месяца."],
    "zh": ["两国领导人星期二在首都会面，讨论贸易和安全问题。",
           "议会经过长时间辩论后批准了更高的国防预算。",
           "政府宣布从下个月起对进口钢铁征收新的关税。"],
    "ja": ["両国の首脳は火曜日に首都で会談し、貿易と安全保障について話し合った。",
           "議会は長い議論の末、防衛予算の増額を承認した。",
           "政府は来月から輸入鉄鋼に新たな関税を課すと発表した。"],
    "ko": ["두 정상은 화요일 수도에서 만나 무역과 안보 문제를 논의했다.",
           "의회는 긴 토론 끝에 국방 예산 증액을 승인했다.",
           "정부는 다음 달부터 수입 철강에 새로운 관세를 부과한다고 발표했다."],
    "ar": ["التقى الزعيمان يوم الثلاثاء في العاصمة لبحث التجارة والأمن.",
           "وافق البرلمان على ميزانية عسكرية أكبر بعد نقاش طويل.",
           "أعلنت الحكومة فرض رسوم جديدة على الصلب المستورد اعتبارا من الشهر المقبل."],
}


def detectors():
    out = {}
    try:
        import py3langid
        out["py3langid"] = lambda text: py3langid.classify(text)[0]
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder
        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def detect(text):
            lang = lingua.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else None
        out["lingua"] = detect
    except ImportError:
        pass
    return out


def main() -> None:
    snippets = [(lang, s) for lang, ss in SAMPLES.items() for s in ss]
    articles = [(lang, " ".join(ss)) for lang, ss in SAMPLES.items()]
    for name, detect in detectors().items():
        started = time.perf_counter()
        detect("warm-up text for the model")
        load_s = time.perf_counter() - started
        sentence_acc = sum(detect(s) == lang for lang, s in snippets) / len(snippets)
        article_acc = sum(detect(a) == lang for lang, a in articles) / len(articles)
        texts = [a for _, a in articles] * 50
        started = time.perf_counter()
        for t in texts:
            detect(t)
        rate = len(texts) / (time.perf_counter() - started)
        print(f"{name:10s} sentences {sentence_acc:.3f}  articles {article_acc:.3f}  "
              f"{rate:,.0f} articles/s  first call {load_s:.2f} s")


if __name__ == "__main__":
    main()
