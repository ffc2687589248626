"""Synthetic corpora: realistic-looking annotated articles, as many as needed, for tests and benchmarks.

:func:`generate_corpus` writes a corpus folder in the layout of ``docs/annotation-format.md``:

* ``kg.toml`` with the default language and outlet;
* ``actors.yaml``: a registry of several hundred actors, places, outlets and sources of three theatres
  (Libya, Syria, Yemen), composed from lists of given names, family names, unit and place names, each
  with Arabic and English labels and aliases;
* ``articles/NNNNN.txt`` and ``articles/NNNNN.yaml``: about 70 % Arabic and 30 % English articles dated
  2014–2020, each with ~``relations_per_article`` relations whose subject and object respect the
  ontology's domains and ranges, an evidence quote that occurs exactly once in the text, claimants
  (sources, actors, or the outlet), and one or two events with casualty figures;
* ``synth.json``: what a build of the corpus must count (articles, assertions, distinct relations by
  type, events, figures), for tests.

Most entities name their registry entry (``actor:``); some are left to be resolved by name, and a few
are not in the registry at all. Mentions carry their code-point offsets (``at:``). The output depends only
on the arguments: the same seed gives byte-identical files.

Usage: ``python benchmarks/synth.py DEST N [--seed S] [--relations R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.mapping.resolve import name_keys, normalize_name  # noqa: E402

__all__ = ["generate_corpus", "SynthRegistry", "build_registry"]

# ---------------------------------------------------------------------------------------------------
# Name material. Tuples are (Arabic, English, [English variants]).

GIVEN = [
    ("أحمد", "Ahmed", "Ahmad"), ("محمد", "Mohamed", "Mohammed"), ("خالد", "Khaled", "Khalid"),
    ("عبد الرحمن", "Abdulrahman", "Abd al-Rahman"), ("سالم", "Salem", "Salim"), ("مصطفى", "Mustafa", "Moustafa"),
    ("عمر", "Omar", "Umar"), ("إبراهيم", "Ibrahim", "Ebrahim"), ("يوسف", "Youssef", "Yusuf"),
    ("علي", "Ali", None), ("حسن", "Hassan", "Hasan"), ("حسين", "Hussein", "Husayn"),
    ("عبد الله", "Abdullah", "Abdallah"), ("فرج", "Faraj", "Farag"), ("صالح", "Saleh", "Salih"),
    ("نوري", "Nouri", "Nuri"), ("جمال", "Jamal", "Gamal"), ("طارق", "Tariq", "Tarek"), ("ماهر", "Maher", None),
    ("بشير", "Bashir", "Basheer"), ("عادل", "Adel", "Adil"), ("رمضان", "Ramadan", "Ramadhan"),
    ("ونيس", "Wanis", "Wanees"), ("عبد الباسط", "Abdulbasit", "Abd al-Basit"), ("هشام", "Hisham", "Hesham"),
    ("زياد", "Ziad", "Ziyad"), ("منصور", "Mansour", "Mansur"), ("عصام", "Issam", "Essam"),
    ("ناصر", "Nasser", "Nasir"), ("فتحي", "Fathi", "Fathy"), ("عبد السلام", "Abdulsalam", "Abd al-Salam"),
    ("مختار", "Mukhtar", "Mokhtar"), ("حمزة", "Hamza", "Hamzah"), ("أسامة", "Osama", "Usama"),
    ("وليد", "Walid", "Waleed"), ("رياض", "Riyad", "Riad"), ("عبد الملك", "Abdulmalik", "Abd al-Malik"),
    ("هاني", "Hani", "Hany"), ("سعيد", "Said", "Saeed"), ("فيصل", "Faisal", "Faysal"),
]

#: Sons' names for kunyas ("أبو عمر الحموي").
KUNYA = [("عمر", "Omar"), ("بكر", "Bakr"), ("حمزة", "Hamza"), ("أنس", "Anas"), ("خطاب", "Khattab"),
         ("مصعب", "Musab"), ("عبيدة", "Ubaida"), ("يحيى", "Yahya"), ("قتيبة", "Qutaiba"), ("معاذ", "Muadh")]

RANKS = [("عقيد", "colonel"), ("عميد", "brigadier"), ("رائد", "major"), ("مقدم", "lieutenant colonel"),
         ("نقيب", "captain"), ("لواء", "major general")]
TITLES = [("وزير الدفاع", "minister of defence"), ("رئيس الأركان العامة", "chief of the general staff"),
          ("آمر المنطقة العسكرية الوسطى", "commander of the central military zone"),
          ("المتحدث الرسمي باسم الجيش", "army spokesman"), ("عميد البلدية", "mayor"),
          ("مدير الاستخبارات العسكرية", "director of military intelligence")]

#: Claimants of the registry (type Source) and some that are not registered.
SOURCES = [("local-sources", "مصادر محلية", "local sources"), ("medical-sources", "مصادر طبية", "medical sources"),
           ("military-source", "مصدر عسكري", "a military source"), ("eyewitnesses", "شهود عيان", "eyewitnesses"),
           ("activists", "ناشطون", "activists"),
           ("rights-observatory", "المرصد الحقوقي المستقل", "the Independent Rights Observatory")]
UNREGISTERED_SOURCES = [("مسؤول أمني", "a security official"), ("مصدر حكومي", "a government source"),
                        ("سكان محليون", "local residents"), ("مصدر في المستشفى", "a hospital source")]

SHARED_OUTLETS = [("الجزيرة", "Al Jazeera", ["قناة الجزيرة"], ["Al Jazeera Arabic"]),
                  ("العربية", "Al Arabiya", [], []), ("رويترز", "Reuters", [], []),
                  ("بي بي سي عربي", "BBC Arabic", [], [])]


@dataclass
class Theatre:
    code: str
    country: tuple[str, str]
    cities: list[tuple]  # (ar, en, en aliases, parent en or None)
    regions: list[tuple]  # (ar, en, en aliases)
    towns: list[tuple]  # (ar, en, parent en)
    bases: list[tuple]  # (ar, en, parent en)
    families: list[tuple]
    outlets: list[tuple]  # (ar, en, ar aliases, en aliases)
    governments: list[tuple]
    political: list[tuple]
    religious: list[tuple]
    coalitions: list[tuple]  # fixed coalitions
    armed_templates: list[tuple]  # (ar, en, ar alias, en alias) with {c} for a city
    coalition_templates: list[tuple]
    municipal_template: tuple
    elders_template: tuple
    religious_template: tuple
    unit_templates: list[tuple]  # (ar, en, en alias) with {n} and {ord}
    weight: float


THEATRES = [
    Theatre(
        code="ly", country=("ليبيا", "Libya"), weight=0.45,
        cities=[("طرابلس", "Tripoli", [], None), ("بنغازي", "Benghazi", [], "Cyrenaica"),
                ("مصراتة", "Misrata", ["Misurata"], None), ("سرت", "Sirte", ["Surt"], None),
                ("درنة", "Derna", ["Darnah"], "Cyrenaica"), ("أجدابيا", "Ajdabiya", ["Ajdabia"], "Cyrenaica"),
                ("الزاوية", "Zawiya", ["al-Zawiya"], None), ("سبها", "Sabha", ["Sebha"], "Fezzan"),
                ("غريان", "Gharyan", ["Gharian"], "Western Mountain"), ("ترهونة", "Tarhuna", ["Tarhunah"], None),
                ("الزنتان", "Zintan", ["al-Zintan"], "Western Mountain"), ("بني وليد", "Bani Walid", [], None),
                ("طبرق", "Tobruk", ["Tubruq"], "Cyrenaica"), ("صبراتة", "Sabratha", [], None),
                ("زليتن", "Zliten", [], None), ("المرج", "al-Marj", ["Marj"], "Cyrenaica"),
                ("الكفرة", "Kufra", ["al-Kufra"], "Fezzan"), ("أوباري", "Ubari", ["Awbari"], "Fezzan")],
        regions=[("فزان", "Fezzan", []), ("برقة", "Cyrenaica", ["Barqa"]),
                 ("الجبل الغربي", "Western Mountain", ["Nafusa Mountains"]), ("الهلال النفطي", "Oil Crescent", []),
                 ("الجبل الأخضر", "Green Mountain", ["Jebel Akhdar"]), ("الجفرة", "Jufra", ["al-Jufra"])],
        towns=[("راس لانوف", "Ras Lanuf", "Oil Crescent"), ("البريقة", "Brega", "Oil Crescent"),
               ("السدرة", "Sidra", "Oil Crescent"), ("هون", "Hun", "Jufra"), ("ودان", "Waddan", "Jufra"),
               ("العزيزية", "Aziziya", "Tripoli"), ("ككلة", "Kikla", "Western Mountain"),
               ("القريات", "Qaryat", "Western Mountain"), ("الأصابعة", "Asabaa", "Western Mountain"),
               ("مرزق", "Murzuq", "Fezzan"), ("المقرون", "al-Maqrun", "Benghazi"), ("سلوق", "Suluq", "Benghazi"),
               ("قمينس", "Qaminis", "Benghazi"), ("القبة", "al-Qubba", "Green Mountain"),
               ("شحات", "Shahhat", "Green Mountain")],
        bases=[("قاعدة الوطية الجوية", "al-Watiya Air Base", "Western Mountain"),
               ("قاعدة الجفرة الجوية", "al-Jufra Air Base", "Jufra"),
               ("قاعدة بنينا الجوية", "Benina Air Base", "Benghazi"),
               ("قاعدة تمنهنت الجوية", "Tamanhint Air Base", "Sabha"),
               ("قاعدة الخروبة الجوية", "al-Kharruba Air Base", "Cyrenaica"),
               ("معسكر اليرموك", "Yarmouk Camp", "Tripoli"), ("معسكر حمزة", "Hamza Camp", "Tripoli"),
               ("الكلية الجوية في مصراتة", "Misrata Air College", "Misrata")],
        families=[("الورفلي", "al-Werfalli", "al-Warfalli"), ("المسماري", "al-Mismari", "al-Mesmari"),
                  ("الزنتاني", "al-Zintani", None), ("المشري", "al-Mishri", "al-Meshri"),
                  ("بوخمادة", "Boukhamada", "Bukhamada"), ("الحاسي", "al-Hassi", "al-Hasi"),
                  ("العبيدي", "al-Obeidi", "al-Ubaydi"), ("البرعصي", "al-Baraasi", None),
                  ("الككلي", "al-Kikli", "al-Kikly"), ("الدرسي", "al-Darsi", None),
                  ("الفيتوري", "al-Fitouri", "al-Fituri"), ("الشريف", "al-Sharif", "al-Shareef"),
                  ("المحجوب", "al-Mahjoub", "al-Mahjub"), ("الدباشي", "al-Dabbashi", "al-Dabashi"),
                  ("القماطي", "al-Gammati", "al-Qamati"), ("المصراتي", "al-Misrati", None),
                  ("الترهوني", "al-Tarhouni", "al-Tarhuni"), ("المغربي", "al-Maghrabi", "al-Magharbi")],
        outlets=[("ليبيا أوبزرفر", "Libya Observer", [], []), ("قناة ليبيا الأحرار", "Libya Al-Ahrar TV", [], []),
                 ("بوابة الوسط", "Al-Wasat", [], ["Al Wasat"])],
        governments=[("حكومة الوفاق الوطني", "Government of National Accord", [], ["GNA"]),
                     ("حكومة الإنقاذ الوطني", "National Salvation Government", ["حكومة الإنقاذ"], []),
                     ("الحكومة المؤقتة", "Interim Government", [], ["Bayda government"])],
        political=[("مجلس النواب", "House of Representatives", ["البرلمان الليبي"], ["HoR"]),
                   ("المجلس الأعلى للدولة", "High Council of State", [], [])],
        religious=[("دار الإفتاء الليبية", "Libyan Dar al-Ifta", [], [])],
        coalitions=[("عملية الكرامة", "Operation Dignity", [], ["Karama"]),
                    ("قوات فجر ليبيا", "Libya Dawn", ["فجر ليبيا"], ["Fajr Libya"])],
        armed_templates=[("قوات درع {c}", "{c} Shield Forces", "درع {c}", "{c} Shield"),
                         ("كتيبة شهداء {c}", "{c} Martyrs Battalion", None, None),
                         ("سرايا الدفاع عن {c}", "{c} Defence Brigades", None, "{c} Defense Brigades"),
                         ("قوة حماية {c}", "{c} Protection Force", None, None),
                         ("تجمع ثوار {c}", "{c} Revolutionaries Gathering", None, None),
                         ("الكتيبة الأمنية في {c}", "{c} Security Battalion", None, None)],
        coalition_templates=[("مجلس شورى ثوار {c}", "{c} Revolutionaries Shura Council", None, None),
                             ("غرفة عمليات {c}", "{c} Operations Room", None, None)],
        municipal_template=("المجلس البلدي {c}", "{c} Municipal Council"),
        elders_template=("مجلس حكماء وأعيان {c}", "{c} Council of Elders and Notables"),
        religious_template=("هيئة علماء {c}", "{c} Ulema Council"),
        unit_templates=[("اللواء {n}", "Brigade {n}", "{ord} Brigade"),
                        ("الكتيبة {n}", "Battalion {n}", "{ord} Battalion")],
    ),
    Theatre(
        code="sy", country=("سوريا", "Syria"), weight=0.35,
        cities=[("دمشق", "Damascus", [], None), ("حلب", "Aleppo", [], None), ("إدلب", "Idlib", [], None),
                ("حمص", "Homs", [], None), ("حماة", "Hama", [], None),
                ("دير الزور", "Deir ez-Zor", ["Deir al-Zour"], None), ("الرقة", "Raqqa", ["al-Raqqa"], None),
                ("درعا", "Daraa", ["Deraa"], None), ("دوما", "Douma", [], "Eastern Ghouta"),
                ("اللاذقية", "Latakia", [], None), ("القامشلي", "Qamishli", [], None),
                ("منبج", "Manbij", [], "Northern Aleppo Countryside"), ("الباب", "al-Bab", [], "Northern Aleppo Countryside"),
                ("تدمر", "Palmyra", ["Tadmur"], "Syrian Desert"), ("جسر الشغور", "Jisr al-Shughur", [], None),
                ("معرة النعمان", "Maarat al-Numan", [], "Southern Idlib Countryside")],
        regions=[("الغوطة الشرقية", "Eastern Ghouta", []), ("ريف حلب الشمالي", "Northern Aleppo Countryside", []),
                 ("ريف إدلب الجنوبي", "Southern Idlib Countryside", []), ("القلمون", "Qalamoun", []),
                 ("سهل الغاب", "al-Ghab Plain", []), ("البادية السورية", "Syrian Desert", ["Badia"])],
        towns=[("سراقب", "Saraqib", "Idlib"), ("خان شيخون", "Khan Shaykhun", "Southern Idlib Countryside"),
               ("كفرنبل", "Kafranbel", "Southern Idlib Countryside"), ("عندان", "Anadan", "Northern Aleppo Countryside"),
               ("تل رفعت", "Tal Rifaat", "Northern Aleppo Countryside"),
               ("جرابلس", "Jarabulus", "Northern Aleppo Countryside"), ("الميادين", "al-Mayadin", "Deir ez-Zor"),
               ("البوكمال", "Albu Kamal", "Deir ez-Zor"), ("داريا", "Darayya", "Damascus"),
               ("الزبداني", "Zabadani", "Qalamoun"), ("القصير", "al-Qusayr", "Homs"), ("مورك", "Morek", "Hama"),
               ("اللطامنة", "al-Lataminah", "Hama"), ("بصرى الشام", "Bosra", "Daraa"),
               ("حرستا", "Harasta", "Eastern Ghouta"), ("عربين", "Arbin", "Eastern Ghouta")],
        bases=[("مطار كويرس العسكري", "Kuweires Military Airport", "Aleppo"),
               ("مطار التيفور العسكري", "T4 Airbase", "Homs"),
               ("مطار أبو الظهور العسكري", "Abu al-Duhur Airbase", "Idlib"),
               ("مطار الشعيرات العسكري", "Shayrat Airbase", "Homs"),
               ("مطار منغ العسكري", "Menagh Airbase", "Northern Aleppo Countryside"),
               ("مطار دير الزور العسكري", "Deir ez-Zor Military Airport", "Deir ez-Zor"),
               ("معسكر المسطومة", "al-Mastumah Camp", "Idlib"),
               ("الكلية الحربية في حمص", "Homs Military Academy", "Homs")],
        families=[("الحموي", "al-Hamawi", None), ("الحلبي", "al-Halabi", None), ("الشامي", "al-Shami", None),
                  ("النعيمي", "al-Nuaimi", "al-Naimi"), ("الكيلاني", "al-Kilani", "al-Keilani"),
                  ("العكيدي", "al-Okaidi", "al-Ugaidi"), ("الإدلبي", "al-Idlibi", None),
                  ("الديري", "al-Deiri", "al-Dairi"), ("الحوراني", "al-Hourani", "al-Horani"),
                  ("الحمصي", "al-Homsi", None), ("الخطيب", "al-Khatib", "al-Khateeb"),
                  ("العبود", "al-Aboud", "al-Abboud"), ("الجاسم", "al-Jassem", "al-Jasim"),
                  ("الحريري", "al-Hariri", None), ("الزعبي", "al-Zoubi", "al-Zubi"),
                  ("السويد", "al-Sweid", None), ("الدندل", "al-Dandal", None), ("البكور", "al-Bakkour", "al-Bakour")],
        outlets=[("عنب بلدي", "Enab Baladi", [], []), ("أورينت نيوز", "Orient News", [], []),
                 ("وكالة سانا", "SANA", [], ["Syrian Arab News Agency"])],
        governments=[("وزارة الدفاع السورية", "Syrian Ministry of Defence", [], ["Syrian Defence Ministry"]),
                     ("الحكومة السورية المؤقتة", "Syrian Interim Government", [], []),
                     ("حكومة الإنقاذ السورية", "Syrian Salvation Government", [], [])],
        political=[("الائتلاف الوطني السوري", "Syrian National Coalition", ["الائتلاف السوري"], []),
                   ("مجلس سوريا الديمقراطية", "Syrian Democratic Council", [], [])],
        religious=[("المجلس الإسلامي السوري", "Syrian Islamic Council", [], [])],
        coalitions=[("التحالف الدولي", "International Coalition", [], ["US-led coalition"])],
        armed_templates=[("لواء أحرار {c}", "Ahrar {c} Brigade", None, None),
                         ("جيش {c} الحر", "Free {c} Army", None, None),
                         ("تجمع ثوار {c}", "{c} Revolutionaries Gathering", None, None),
                         ("كتائب شهداء {c}", "{c} Martyrs Brigades", None, None),
                         ("فيلق {c}", "{c} Legion", None, None),
                         ("قوات الدفاع الوطني في {c}", "{c} National Defence Forces", None, "{c} NDF")],
        coalition_templates=[("غرفة عمليات {c}", "{c} Operations Room", None, None),
                             ("جبهة تحرير {c}", "{c} Liberation Front", None, None)],
        municipal_template=("المجلس المحلي في {c}", "{c} Local Council"),
        elders_template=("مجلس عشائر {c}", "{c} Tribal Council"),
        religious_template=("هيئة علماء {c}", "{c} Ulema Council"),
        unit_templates=[("الفرقة {n}", "Division {n}", "{ord} Division"),
                        ("الفوج {n}", "Regiment {n}", "{ord} Regiment"),
                        ("اللواء {n} مدرع", "{ord} Armoured Brigade", "Armoured Brigade {n}")],
    ),
    Theatre(
        code="ye", country=("اليمن", "Yemen"), weight=0.20,
        cities=[("عدن", "Aden", [], None), ("تعز", "Taiz", ["Ta'izz"], None), ("مأرب", "Marib", ["Ma'rib"], None),
                ("الحديدة", "Hodeidah", ["Hudaydah"], None), ("صنعاء", "Sanaa", ["Sana'a"], None),
                ("المكلا", "Mukalla", ["al-Mukalla"], "Hadramawt"), ("صعدة", "Saada", ["Sa'dah"], None),
                ("عتق", "Ataq", [], "Shabwa"), ("زنجبار", "Zinjibar", [], "Abyan"),
                ("الضالع", "al-Dhale", ["Dhale"], None), ("ذمار", "Dhamar", [], None), ("إب", "Ibb", [], None),
                ("حجة", "Hajjah", [], None)],
        regions=[("شبوة", "Shabwa", ["Shabwah"]), ("أبين", "Abyan", []), ("لحج", "Lahj", []),
                 ("حضرموت", "Hadramawt", ["Hadramout"]), ("الجوف", "al-Jawf", []), ("البيضاء", "al-Bayda", [])],
        towns=[("المخا", "Mokha", "Taiz"), ("الخوخة", "al-Khawkha", "Hodeidah"), ("حيس", "Hays", "Hodeidah"),
               ("صرواح", "Sirwah", "Marib"), ("بيحان", "Bayhan", "Shabwa"), ("لودر", "Lawdar", "Abyan"),
               ("الحوطة", "al-Hawta", "Lahj"), ("ميدي", "Midi", "Hajjah"), ("حرض", "Haradh", "Hajjah"),
               ("الجوبة", "al-Jubah", "Marib"), ("دمت", "Damt", "al-Dhale"), ("قعطبة", "Qataba", "al-Dhale"),
               ("نهم", "Nehm", "Sanaa")],
        bases=[("قاعدة العند الجوية", "al-Anad Air Base", "Lahj"),
               ("معسكر خالد بن الوليد", "Khalid bin al-Walid Camp", "Taiz"), ("معسكر ماس", "Mas Camp", "Marib"),
               ("معسكر صلاح الدين", "Salah al-Din Camp", "Aden"), ("معسكر بدر", "Badr Camp", "Aden"),
               ("قاعدة الديلمي الجوية", "al-Dailami Air Base", "Sanaa"),
               ("معسكر الخشعة", "al-Khashaa Camp", "Hadramawt")],
        families=[("الحضرمي", "al-Hadrami", "al-Hadhrami"), ("العولقي", "al-Awlaki", "al-Aulaqi"),
                  ("الزبيدي", "al-Zubaidi", "al-Zubeidi"), ("الحكيمي", "al-Hakimi", None),
                  ("المقدشي", "al-Maqdashi", "al-Makdashi"), ("اليافعي", "al-Yafei", "al-Yafii"),
                  ("الصبيحي", "al-Subaihi", "al-Sabihi"), ("العمري", "al-Omari", "al-Amri"),
                  ("الشدادي", "al-Shaddadi", None), ("الجعدني", "al-Jaadani", None),
                  ("الأحمر", "al-Ahmar", None), ("القاضي", "al-Qadhi", "al-Qadi"),
                  ("السنحاني", "al-Sanhani", None), ("المرواني", "al-Marwani", None)],
        outlets=[("المصدر أونلاين", "Al-Masdar Online", [], []), ("عدن الغد", "Aden al-Ghad", [], []),
                 ("وكالة سبأ", "Saba News Agency", [], ["Saba"])],
        governments=[("الحكومة اليمنية", "Yemeni Government", [], ["Government of Yemen"]),
                     ("وزارة الدفاع اليمنية", "Yemeni Ministry of Defence", [], [])],
        political=[("المجلس الانتقالي الجنوبي", "Southern Transitional Council", ["الانتقالي الجنوبي"], ["STC"]),
                   ("المجلس السياسي الأعلى", "Supreme Political Council", [], []),
                   ("حزب الإصلاح", "Islah Party", [], ["al-Islah"])],
        religious=[("هيئة علماء اليمن", "Yemeni Ulema Association", [], [])],
        coalitions=[("التحالف العربي", "Arab Coalition", ["تحالف دعم الشرعية"], ["Saudi-led coalition"])],
        armed_templates=[("الحزام الأمني في {c}", "{c} Security Belt", None, None),
                         ("المقاومة الشعبية في {c}", "{c} Popular Resistance", None, None),
                         ("قوات النخبة في {c}", "{c} Elite Forces", None, None),
                         ("ألوية حماية {c}", "{c} Protection Brigades", None, None),
                         ("كتيبة شهداء {c}", "{c} Martyrs Battalion", None, None)],
        coalition_templates=[("تحالف قبائل {c}", "{c} Tribal Alliance", None, None),
                             ("غرفة عمليات {c}", "{c} Operations Room", None, None)],
        municipal_template=("السلطة المحلية في {c}", "{c} Local Authority"),
        elders_template=("مجلس قبائل {c}", "{c} Tribal Council"),
        religious_template=("دار الإفتاء في {c}", "{c} Dar al-Ifta"),
        unit_templates=[("اللواء {n} مشاة", "{ord} Infantry Brigade", "Infantry Brigade {n}"),
                        ("اللواء {n} ميكا", "{ord} Mechanised Brigade", "Mechanised Brigade {n}"),
                        ("اللواء {n} عمالقة", "{ord} Giants Brigade", "Giants Brigade {n}")],
    ),
]

FACILITY_TEMPLATES = [("ميناء {c}", "{c} Port"), ("مطار {c} الدولي", "{c} International Airport"),
                      ("مستشفى {c} المركزي", "{c} Central Hospital"), ("مصفاة {c}", "{c} Refinery"),
                      ("محطة كهرباء {c}", "{c} Power Station")]

#: Kinds of organisation used by the relation plan.
ARMED = ("ArmedGroup", "MilitaryUnit", "Coalition")
ORGS = ("ArmedGroup", "MilitaryUnit", "Coalition", "GovernmentBody", "PoliticalBody", "ReligiousAuthority")
PLACES = ("Country", "Region", "City", "Town", "MilitaryBase", "Facility")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


# ---------------------------------------------------------------------------------------------------
# The registry


@dataclass
class Entry:
    id: str
    type: str
    ar: str
    en: str
    ar_aliases: list[str] = field(default_factory=list)
    en_aliases: list[str] = field(default_factory=list)
    theatre: str = ""
    parent: str | None = None  # registry id of the enclosing place


@dataclass
class SynthRegistry:
    """The generated registry: entries by id, by theatre and type, and the name keys it indexes."""

    entries: dict[str, Entry] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    by_kind: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    unregistered_persons: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, entry: Entry) -> Entry | None:
        """Add an entry unless one of its names (or its id) is already a name of another entry."""
        if entry.id in self.entries:
            return None
        names = [entry.ar, entry.en, *entry.ar_aliases, *entry.en_aliases, entry.id]
        keys = set()
        for name in names:
            key = normalize_name(name)
            keys.add(key)
            if key.startswith("ال") and len(key) > 4:
                keys.add(key[2:])
        if keys & self.keys:
            return None
        self.keys |= keys
        self.entries[entry.id] = entry
        self.by_kind.setdefault((entry.theatre, entry.type), []).append(entry)
        return entry

    def kind(self, theatre: str, *types: str) -> list[Entry]:
        return [e for t in types for e in self.by_kind.get((theatre, t), [])]

    def unknown(self, name: str) -> bool:
        """Whether a name would not resolve to any entry."""
        return not (name_keys(name) & self.keys)


def build_registry(seed: int = 0) -> SynthRegistry:
    """The registry of a corpus: deterministic for a seed."""
    rng = random.Random(f"registry/{seed}")
    reg = SynthRegistry()
    for code, ar, en in SOURCES:
        reg.add(Entry(code, "Source", ar, en))
    for ar, en, ar_al, en_al in SHARED_OUTLETS:
        reg.add(Entry(_slug(en), "MediaOutlet", ar, en, list(ar_al), list(en_al), theatre="*"))
    for th in THEATRES:
        country = reg.add(Entry(_slug(th.country[1]), "Country", *th.country, theatre=th.code))
        assert country is not None
        by_en: dict[str, Entry] = {}
        for ar, en, en_al in th.regions:
            e = reg.add(Entry(_slug(en), "Region", ar, en, [], list(en_al), th.code, country.id))
            if e:
                by_en[en] = e
        for ar, en, en_al, parent in th.cities:
            e = reg.add(Entry(_slug(en), "City", ar, en, [], list(en_al), th.code,
                              by_en[parent].id if parent else country.id))
            if e:
                by_en[en] = e
        for ar, en, parent in th.towns:
            e = reg.add(Entry(_slug(en), "Town", ar, en, [], [], th.code, by_en[parent].id))
            if e:
                by_en[en] = e
        for ar, en, parent in th.bases:
            reg.add(Entry(_slug(en), "MilitaryBase", ar, en, [], [], th.code, by_en[parent].id))
        cities = [c for c in reg.kind(th.code, "City")]
        for city in cities:
            for ar_t, en_t in rng.sample(FACILITY_TEMPLATES, 2):
                ar, en = ar_t.format(c=city.ar), en_t.format(c=city.en)
                reg.add(Entry(_slug(en), "Facility", ar, en, [], [], th.code, city.id))
        for kind, items in (("MediaOutlet", th.outlets), ("GovernmentBody", th.governments),
                            ("PoliticalBody", th.political), ("ReligiousAuthority", th.religious),
                            ("Coalition", th.coalitions)):
            for ar, en, ar_al, en_al in items:
                reg.add(Entry(_slug(en), kind, ar, en, list(ar_al), list(en_al), th.code))
        # organisations named after a city or town
        towns = [t for t in reg.kind(th.code, "Town")]
        homes = cities + towns
        for kind, templates, count in (("ArmedGroup", th.armed_templates, 26),
                                       ("Coalition", th.coalition_templates, 6)):
            made = 0
            while made < count:
                ar_t, en_t, ar_a, en_a = rng.choice(templates)
                home = rng.choice(homes)
                e = reg.add(Entry(_slug(en_t.format(c=home.en)), kind, ar_t.format(c=home.ar), en_t.format(c=home.en),
                                  [ar_a.format(c=home.ar)] if ar_a else [], [en_a.format(c=home.en)] if en_a else [],
                                  th.code))
                made += 1 if e else 0.25  # give up on a template that keeps colliding
        for kind, (ar_t, en_t), count in (("GovernmentBody", th.municipal_template, 5),
                                          ("PoliticalBody", th.elders_template, 3),
                                          ("ReligiousAuthority", th.religious_template, 2)):
            for city in rng.sample(cities, count):
                reg.add(Entry(_slug(en_t.format(c=city.en)), kind, ar_t.format(c=city.ar), en_t.format(c=city.en),
                              theatre=th.code))
        numbers = rng.sample(range(1, 400), 24)
        for n in numbers:
            ar_t, en_t, en_a = rng.choice(th.unit_templates)
            reg.add(Entry(_slug(en_t.format(n=n, ord=ordinal(n))), "MilitaryUnit", ar_t.format(n=n),
                          en_t.format(n=n, ord=ordinal(n)), [], [en_a.format(n=n, ord=ordinal(n))], th.code))
        # people: given name + family name, some with a variant spelling or a kunya
        combos = [(g, f) for g in GIVEN for f in th.families]
        rng.shuffle(combos)
        persons = 0
        unregistered: list[tuple[str, str]] = []
        for (g_ar, g_en, g_alt), (f_ar, f_en, f_alt) in combos:
            ar, en = f"{g_ar} {f_ar}", f"{g_en} {f_en}"
            if persons >= 55:
                if len(unregistered) < 30 and reg.unknown(ar) and reg.unknown(en):
                    unregistered.append((ar, en))
                continue
            en_al = [f"{g_alt or g_en} {f_alt or f_en}"] if (g_alt or f_alt) and rng.random() < 0.6 else []
            ar_al = []
            if rng.random() < 0.3:
                k_ar, k_en = rng.choice(KUNYA)
                ar_al.append(f"أبو {k_ar} {f_ar}")
                en_al.append(f"Abu {k_en} {f_en}")
            if reg.add(Entry(_slug(en), "Person", ar, en, ar_al, en_al, th.code)):
                persons += 1
        reg.unregistered_persons[th.code] = unregistered
    for pairs in (RANKS, TITLES, UNREGISTERED_SOURCES):
        for names in pairs:
            for name in names:
                if not reg.unknown(name):
                    raise ValueError(f"{name!r} would resolve to a registry entry")
    return reg


def registry_yaml(reg: SynthRegistry) -> str:
    """``actors.yaml`` text of a registry."""
    out = ["# Registry of a synthetic corpus: actors, places and sources with Arabic and English names.", ""]
    sections = (("actors", lambda e: e.type not in PLACES and e.type != "Source"),
                ("places", lambda e: e.type in PLACES), ("sources", lambda e: e.type == "Source"))
    for section, keep in sections:
        out.append(f"{section}:")
        for e in reg.entries.values():
            if not keep(e):
                continue
            out.append(f"  - id: {e.id}")
            out.append(f"    type: {e.type}")
            out.append(f"    labels: {{ar: {_q(e.ar)}, en: {_q(e.en)}}}")
            aliases = [f"{lang}: [{', '.join(_q(a) for a in names)}]"
                       for lang, names in (("ar", e.ar_aliases), ("en", e.en_aliases)) if names]
            if aliases:
                out.append(f"    aliases: {{{', '.join(aliases)}}}")
        out.append("")
    return "\n".join(out)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------
# Sentence templates. {S} and {O}: subject and object; {D}: a date; {A}, {B}: event parties; {P}: a
# place; {T:word}: the event trigger. A relation's evidence is the whole template as rendered.

_MONTHS_AR = ["يناير/كانون الثاني", "فبراير/شباط", "مارس/آذار", "أبريل/نيسان", "مايو/أيار", "يونيو/حزيران",
              "يوليو/تموز", "أغسطس/آب", "سبتمبر/أيلول", "أكتوبر/تشرين الأول", "نوفمبر/تشرين الثاني",
              "ديسمبر/كانون الأول"]
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]

# (template, flag) by language and relation type; flag is "", "negated" or "former".
RELATION_TEMPLATES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "ar": {
        "commands": [("في {D} تولى {S} قيادة {O}", ""), ("وتفقد {S} قائد {O} خطوط التماس في {D}", ""),
                     ("وفي {D} تقدم مقاتلو {O} بقيادة {S} نحو خطوط التماس", ""),
                     ("وأصدر {S} بصفته آمر {O} أوامر بالتقدم في {D}", ""),
                     ("ونفى {S} في {D} أي صلة له بقيادة {O}", "negated"),
                     ("وفي {D} ظهر {S} الذي قاد {O} سابقا في مقطع مصور", "former")],
        "alliedWith": [("في {D} أعلن{g:S:ت|} {S} و{O} تشكيل غرفة عمليات مشتركة", ""),
                       ("وقاتل{g:S:ت|} {S} إلى جانب {O} في {D}", ""),
                       ("وفي {D} وقع{g:S:ت|} {S} اتفاق تحالف مع {O}", ""),
                       ("ونف{g:S:ت|ى} {S} في {D} وجود أي تحالف مع {O}", "negated")],
        "hostileTo": [("في {D} اندلعت مواجهات بين {S} و{O}", ""),
                      ("واتهم{g:S:ت|} {S} {O} بقصف مواقع{g:S:ها|ه} في {D}", ""),
                      ("وفي {D} شن{g:S:ت|} {S} هجوما على مواقع {O}", ""),
                      ("وتبادل{g:S:ت|} {S} و{O} القصف المدفعي في {D}", "")],
        "supports": [("في {D} أرسل{g:S:ت|} {S} أسلحة وذخائر إلى {O}", ""),
                     ("وأعلن{g:S:ت|} {S} وقوف{g:S:ها|ه} إلى جانب {O} في {D}", ""),
                     ("وفي {D} قدم{g:S:ت|} {S} دعما لوجستيا إلى {O}", ""),
                     ("ونف{g:S:ت|ى} {S} في {D} تقديم أي دعم إلى {O}", "negated")],
        "controls": [("في {D} أحكم{g:S:ت|} {S} سيطرت{g:S:ها|ه} على {O}", ""),
                     ("و{g:S:ت|ي}سيطر {S} على {O} منذ {D}", ""),
                     ("وفي {D} بسط{g:S:ت|} {S} سيطرت{g:S:ها|ه} الكاملة على {O}", ""),
                     ("ونف{g:S:ت|ى} {S} في {D} سيطرت{g:S:ها|ه} على {O}", "negated")],
        "basedAt": [("و{g:S:ت|ي}تخذ {S} من {O} مقرا {g:S:لها|له} منذ {D}", ""),
                    ("وفي {D} نقل{g:S:ت|} {S} مقر قيادت{g:S:ها|ه} إلى {O}", "")],
        "operatesIn": [("في {D} نشر{g:S:ت|} {S} وحدات في {O}", ""), ("و{g:S:ت|ي}نشط {S} في {O} منذ {D}", ""),
                       ("وفي {D} سير{g:S:ت|} {S} دوريات في {O}", "")],
        "locatedIn": [("وفي {D} تعرض{g:S:ت|} {S} في {O} لقصف مدفعي", ""),
                      ("وشهد{g:S:ت|} {S} الواقع{g:S:ة|} في {O} اشتباكات متقطعة في {D}", "")],
        "hasRank": [("وفي {D} رقي {S} إلى رتبة {O}", "")],
        "hasTitle": [("وفي {D} عين {S} في منصب {O}", "")],
    },
    "en": {
        "commands": [("On {D}, {S} took command of {O}", ""), ("{S}, the commander of {O}, inspected the front on {D}", ""),
                     ("On {D}, fighters of {O} led by {S} advanced towards the front", ""),
                     ("{S} ordered {O} to advance on {D}", ""),
                     ("On {D}, {S} denied commanding {O}", "negated"),
                     ("On {D}, {S}, the former commander of {O}, appeared in public", "former")],
        "alliedWith": [("On {D}, {S} and {O} announced a joint operations room", ""),
                       ("{S} fought alongside {O} on {D}", ""), ("On {D}, {S} signed an alliance with {O}", ""),
                       ("On {D}, {S} denied any alliance with {O}", "negated")],
        "hostileTo": [("On {D}, fighting broke out between {S} and {O}", ""),
                      ("{S} accused {O} of shelling its positions on {D}", ""),
                      ("On {D}, {S} attacked positions held by {O}", ""),
                      ("{S} and {O} exchanged artillery fire on {D}", "")],
        "supports": [("On {D}, {S} sent weapons and ammunition to {O}", ""),
                     ("{S} declared its support for {O} on {D}", ""),
                     ("On {D}, {S} provided logistical support to {O}", ""),
                     ("On {D}, {S} denied providing any support to {O}", "negated")],
        "controls": [("On {D}, {S} took full control of {O}", ""), ("{S} has controlled {O} since {D}", ""),
                     ("On {D}, {S} denied that it controls {O}", "negated")],
        "basedAt": [("{S} has been based in {O} since {D}", ""), ("On {D}, {S} moved its headquarters to {O}", "")],
        "operatesIn": [("On {D}, {S} deployed units in {O}", ""), ("{S} has been operating in {O} since {D}", ""),
                       ("On {D}, {S} sent patrols into {O}", "")],
        "locatedIn": [("On {D}, {S} in {O} came under artillery fire", ""),
                      ("{S}, in {O}, saw sporadic clashes on {D}", "")],
        "hasRank": [("On {D}, {S} was promoted to the rank of {O}", "")],
        "hasTitle": [("On {D}, {S} was appointed {O}", "")],
    },
}

EVENT_TEMPLATES = {
    "ar": {"Clash": "وفي {D} اندلعت {T:اشتباكات} عنيفة بين {A} و{B} في {P}",
           "Attack": "وفي {D} شن{g:A:ت|} {A} {T:هجوما} على مواقع {B} في {P}",
           "Capture": "وفي {D} {T:سيطرت|سيطر} {A} على {P} بعد انسحاب {B}",
           "Downing": "وفي {D} {T:أسقطت|أسقط} {A} طائرة حربية تتبع {B} قرب {P}",
           "Offensive": "وفي {D} أطلق{g:A:ت|} {A} {T:عملية عسكرية} واسعة ضد {B} في {P}"},
    "en": {"Clash": "On {D}, heavy {T:clashes} broke out between {A} and {B} in {P}",
           "Attack": "On {D}, {A} launched an {T:attack} on positions of {B} in {P}",
           "Capture": "On {D}, {A} {T:captured} {P} after {B} withdrew",
           "Downing": "On {D}, {A} {T:shot down} an aircraft belonging to {B} near {P}",
           "Offensive": "On {D}, {A} launched a military {T:offensive} against {B} in {P}"},
}
EVENT_TITLES = {
    "ar": {"Clash": "اشتباكات بين {A} و{B} في {P}", "Attack": "هجوم على مواقع {B} في {P}",
           "Capture": "{A} تسيطر على {P}", "Downing": "إسقاط طائرة حربية قرب {P}",
           "Offensive": "عملية عسكرية ضد {B} في {P}"},
    "en": {"Clash": "Clashes between {A} and {B} in {P}", "Attack": "{A} attacks {B} in {P}",
           "Capture": "{A} takes {P}", "Downing": "Aircraft of {B} downed near {P}",
           "Offensive": "{A} launches offensive in {P}"},
}
FIGURE_TEMPLATES = {
    "ar": {"killed": "قتل {Q}{N} من عناصر {X}", "wounded": "أصيب {Q}{N} من عناصر {X}",
           "captured": "أسر {Q}{N} من عناصر {X}", "missing": "فقد {Q}{N} من عناصر {X}"},
    "en": {"killed": "{Q}{N} fighters of {X} were killed", "wounded": "{Q}{N} fighters of {X} were wounded",
           "captured": "{Q}{N} fighters of {X} were captured", "missing": "{Q}{N} fighters of {X} went missing"},
}
QUALIFIERS = {
    "ar": {"exact": "", "at-least": "ما لا يقل عن ", "more-than": "أكثر من ", "about": "نحو ",
           "at-most": "ما لا يزيد على "},
    "en": {"exact": "", "at-least": "at least ", "more-than": "more than ", "about": "about ", "at-most": "up to "},
}
ATTRIBUTION = {"ar": ("، بحسب {C}", "، وفق ما أفاد{g:C:ت|} به {C}", "، بحسب متحدث باسم {C}"),
               "en": (", according to {C}", ", {C} said", ", a spokesman for {C} said")}
UNCERTAIN = {"ar": "وفي رواية لم يتسن التحقق منها، ", "en": "Unconfirmed reports said that "}

RELATION_WEIGHTS = [("commands", 15), ("alliedWith", 12), ("hostileTo", 18), ("supports", 10), ("controls", 12),
                    ("basedAt", 8), ("operatesIn", 12), ("locatedIn", 8), ("hasRank", 3), ("hasTitle", 2)]
SYMMETRIC = frozenset({"alliedWith", "hostileTo"})
EVENT_TYPES = ("Clash", "Attack", "Capture", "Downing", "Offensive")
FIGURE_KINDS = (("killed", 60), ("wounded", 120), ("captured", 30), ("missing", 15))

#: First words of Arabic names that take a feminine verb ("أعلنت قوات …", "أعلن المجلس …").
FEMININE = frozenset({"قوات", "كتيبة", "الكتيبة", "سرايا", "قوة", "كتائب", "غرفة", "جبهة", "المقاومة", "ألوية",
                      "حكومة", "الحكومة", "وزارة", "هيئة", "دار", "السلطة", "الفرقة", "عملية", "بوابة", "قناة",
                      "وكالة", "الجزيرة", "العربية", "رويترز", "بي", "مصادر", "الكلية", "ليبيا", "أورينت",
                      "قاعدة", "مصفاة", "محطة"})

_TOKEN = re.compile(r"\{(\w)(?::([^}]*))?\}")


def _compile(template: str) -> list[tuple[str, str]]:
    """A template as tokens: ("", literal) or (slot, argument)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            tokens.append(("", template[pos:m.start()]))
        tokens.append((m.group(1), m.group(2) or ""))
        pos = m.end()
    if pos < len(template):
        tokens.append(("", template[pos:]))
    return tokens


_COMPILED: dict[str, list[tuple[str, str]]] = {}


def _tokens(template: str) -> list[tuple[str, str]]:
    found = _COMPILED.get(template)
    if found is None:
        found = _COMPILED[template] = _compile(template)
    return found


# ---------------------------------------------------------------------------------------------------
# One article


@dataclass
class _Ent:
    """An entity of one article: its local id, type, names and the spans where the text names it."""

    id: str
    type: str
    names: list[str]  # surface forms in the article's language (first = label)
    key: tuple[str, str]  # identity of the node it resolves to, for the expected counts
    fem: bool = False  # takes a feminine verb in Arabic
    actor: str | None = None
    place: Entry | None = None
    spans: list[tuple[int, int, str]] = field(default_factory=list)


class _Writer:
    """Accumulates an article's text and records the offsets of what it writes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.pos = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def name(self, ent: _Ent) -> None:
        names = ent.names
        surface = names[0] if len(names) == 1 or self.rng.random() < 0.8 else self.rng.choice(names[1:])
        start = self.pos
        self.write(surface)
        ent.spans.append((start, self.pos, surface))

    def render(self, template: str, slots: dict[str, _Ent], date: str = "",
               marks: dict[str, tuple[int, int, str]] | None = None) -> tuple[int, int]:
        """Write a template; returns its span. ``marks`` receives the spans of {T:…} (and {F}) tokens."""
        start = self.pos
        for slot, arg in _tokens(template):
            if not slot:
                self.write(arg)
            elif slot == "D":
                self.write(date)
            elif slot == "g":
                who, forms = arg.split(":", 1)
                fem, masc = forms.split("|")
                self.write(fem if slots[who].fem else masc)
            elif slot == "T":
                if "|" in arg:
                    fem, masc = arg.split("|")
                    arg = fem if slots["A"].fem else masc
                s = self.pos
                self.write(arg)
                if marks is not None:
                    marks["T"] = (s, self.pos, arg)
            else:
                self.name(slots[slot])
        return start, self.pos

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _date_text(day: dt.date, lang: str) -> str:
    if lang == "ar":
        return f"{day.day} {_MONTHS_AR[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


@dataclass
class _Expected:
    articles: int = 0
    assertions: int = 0
    events: int = 0
    figures: int = 0
    relations: set[tuple[str, tuple[str, str], tuple[str, str]]] = field(default_factory=set)
    negated: set[tuple[str, tuple[str, str], tuple[str, str]]] = field(default_factory=set)  # stated as denied


class _ArticleMaker:
    def __init__(self, reg: SynthRegistry, seed: int, relations_per_article: int) -> None:
        self.reg = reg
        self.seed = seed
        self.n_relations = relations_per_article
        self.weights = [w for _, w in RELATION_WEIGHTS]
        self.theatre_weights = [t.weight for t in THEATRES]
        self.outlets = {t.code: self.reg.kind(t.code, "MediaOutlet") + self.reg.kind("*", "MediaOutlet")
                        for t in THEATRES}
        self.sources = self.reg.kind("", "Source")

    def make(self, index: int, expected: _Expected) -> tuple[str, str]:
        rng = random.Random(self.seed * 1_000_003 + index)
        lang = "ar" if rng.random() < 0.7 else "en"
        th = rng.choices(THEATRES, self.theatre_weights)[0]
        day = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
        outlet = rng.choice(self.outlets[th.code])
        ents: list[_Ent] = []
        used: dict[str, _Ent] = {}

        def registered(entry: Entry) -> _Ent:
            found = used.get(entry.id)
            if found is not None:
                return found
            names = [entry.ar if lang == "ar" else entry.en]
            names += entry.ar_aliases if lang == "ar" else entry.en_aliases
            by_name = rng.random() < 0.15
            ent = _Ent(entry.id, entry.type, names, ("reg", entry.id),
                       entry.type in ("City", "Town", "Region", "Country") or entry.ar.split()[0] in FEMININE,
                       None if by_name else entry.id, place=entry if entry.type in PLACES else None)
            used[entry.id] = ent
            ents.append(ent)
            return ent

        def new(local: str, etype: str, name: str, category: str) -> _Ent:
            found = used.get(local)
            if found is not None:
                return found
            ent = _Ent(local, etype, [name], (category, normalize_name(name)), name.split()[0] in FEMININE)
            used[local] = ent
            ents.append(ent)
            return ent

        # the cast: organisations, people, places and claimants of this theatre
        armed = [registered(e) for e in rng.sample(self.reg.kind(th.code, *ARMED), rng.randint(5, 8))]
        others = [registered(e) for e in rng.sample(self.reg.kind(th.code, "GovernmentBody", "PoliticalBody",
                                                                  "ReligiousAuthority"), rng.randint(1, 3))]
        people = [registered(e) for e in rng.sample(self.reg.kind(th.code, "Person"), rng.randint(2, 4))]
        for ar, en in rng.sample(self.reg.unregistered_persons[th.code], rng.choice((0, 0, 1))):
            people.append(new(f"p{len(people) + 1}", "Person", ar if lang == "ar" else en, "actor"))
        places = [registered(e) for e in rng.sample(self.reg.kind(th.code, "City", "Town", "Region",
                                                                  "MilitaryBase", "Facility"), rng.randint(3, 5))]
        for place in list(places[:2]):  # with their enclosing places, for locatedIn
            parent = self.reg.entries.get(place.place.parent or "") if place.place else None
            if parent is not None:
                places.append(registered(parent))
        places = list({p.id: p for p in places}.values())
        place_ids = {p.id for p in places}
        located = [(p, used[p.place.parent]) for p in places if p.place and p.place.parent in place_ids]
        claimants: list[_Ent] = []
        for entry in rng.sample(self.sources, rng.randint(1, 2)):
            claimants.append(registered(entry))
        if rng.random() < 0.3:
            ar, en = rng.choice(UNREGISTERED_SOURCES)
            claimants.append(new("s1", "Source", ar if lang == "ar" else en, "source"))
        orgs = armed + others

        w = _Writer(rng)
        relations: list[dict] = []
        events: list[dict] = []
        # every sentence has its own date (which makes each evidence quote unique): events of the last
        # few days, relations of the year before
        dates = [day - dt.timedelta(days=k) for k in rng.sample(range(5, max(400, self.n_relations + 10)),
                                                                  self.n_relations)]
        event_dates = [day - dt.timedelta(days=k) for k in rng.sample(range(5), 2)]
        sentences = 0

        def end_sentence() -> None:
            nonlocal sentences
            sentences += 1
            w.write(".")
            w.write("\n" if sentences % 4 == 0 else " ")

        def attribution(who: _Ent | None) -> None:
            if who is None:
                return
            options = ATTRIBUTION[lang]
            template = options[2] if who.type != "Source" else rng.choice(options[:2])
            w.render(template, {"C": who})

        def pick_claimant() -> _Ent | None:
            r = rng.random()
            if r < 0.3:
                return rng.choice(claimants)
            if r < 0.4:
                return rng.choice(orgs)
            return None

        # events first: the lead of the article
        title = ""
        for n in range(1, rng.choice((1, 1, 2)) + 1):
            etype = rng.choice(EVENT_TYPES)
            a, b = rng.sample(armed, 2)
            place = rng.choice([p for p in places if p.type in ("City", "Town", "MilitaryBase")] or places[:1])
            slots = {"A": a, "B": b, "P": place}
            marks: dict[str, tuple[int, int, str]] = {}
            date = event_dates.pop()
            if not title:
                title = EVENT_TITLES[lang][etype].format(A=a.names[0], B=b.names[0], P=place.names[0])
            w.render(EVENT_TEMPLATES[lang][etype], slots, _date_text(date, lang), marks)
            figures = []
            for kind, top in rng.sample(FIGURE_KINDS, rng.choice((1, 1, 2))):
                qualifier = rng.choice(("exact", "exact", "at-least", "more-than", "about", "at-most"))
                victim = rng.choice((a, b))
                w.write("، و" if lang == "ar" else ", and ")
                count = rng.randint(1, top)
                fig_tmpl = FIGURE_TEMPLATES[lang][kind].replace("{Q}", QUALIFIERS[lang][qualifier]).replace(
                    "{N}", str(count))
                start, end = w.render(fig_tmpl, {"X": victim})
                figures.append({"kind": kind, "count": count, "qualifier": qualifier, "of": victim.id,
                                "evidence": (start, end)})
            claimant = pick_claimant()
            attribution(claimant)
            for figure in figures:  # the figures are the claimant's, or (unsaid) the outlet's
                if claimant is not None and rng.random() < 0.7:
                    figure["claimant"] = claimant.id
            end_sentence()
            if etype == "Clash":
                arguments = {"participant": [a.id, b.id]}
            elif etype == "Capture":
                arguments = {"attacker": [a.id], "target": [b.id], "seized": [place.id]}
            else:
                arguments = {"attacker": [a.id], "target": [b.id]}
            events.append({"id": f"ev{n}", "type": etype, "trigger": marks["T"], "arguments": arguments,
                           "place": place.id, "date": date.isoformat(), "figures": figures,
                           "claimant": claimant.id if claimant else None})

        # relations
        seen: set[tuple[str, str, str]] = set()
        ranks: dict[int, _Ent] = {}
        attempts = 0
        while len(relations) < self.n_relations and attempts < self.n_relations * 20:
            attempts += 1
            rtype = rng.choices(RELATION_WEIGHTS, self.weights)[0][0]
            pair = self._pair(rng, rtype, people, armed, orgs, places, located, lang, ranks, new)
            if pair is None:
                continue
            s, o = pair
            key = (rtype, *sorted((s.id, o.id))) if rtype in SYMMETRIC else (rtype, s.id, o.id)
            if key in seen or s is o:
                continue
            seen.add(key)
            template, flag = rng.choice(RELATION_TEMPLATES[lang][rtype])
            uncertain = not flag and rng.random() < 0.05
            if uncertain:
                w.write(UNCERTAIN[lang])
            date = dates.pop()
            start, end = w.render(template, {"S": s, "O": o}, _date_text(date, lang))
            claimant = pick_claimant()
            if claimant is s or claimant is o:
                claimant = None
            attribution(claimant)
            end_sentence()
            rel = {"type": rtype, "subject": s.id, "object": o.id, "evidence": (start, end),
                   "claimant": claimant.id if claimant else None, "date": date.isoformat()}
            if flag:
                rel[flag] = True
            if uncertain:
                rel["uncertain"] = True
            relations.append(rel)
            sk, ok = s.key, o.key
            if rtype in SYMMETRIC and ok < sk:
                sk, ok = ok, sk
            (expected.negated if flag == "negated" else expected.relations).add((rtype, sk, ok))

        text = w.text.rstrip() + "\n"
        expected.articles += 1
        expected.assertions += len(relations)
        expected.events += len(events)
        expected.figures += sum(len(e["figures"]) for e in events)
        meta = {"title": title, "outlet": outlet.ar if lang == "ar" else outlet.en, "date": day.isoformat(),
                "language": lang}
        if rng.random() < 0.5:
            meta["url"] = f"https://news.example.org/{th.code}/{day.year}/{day.month:02d}/{index:05d}"
        return text, self._yaml(text, meta, [e for e in ents if e.spans], relations, events)

    def _pair(self, rng, rtype, people, armed, orgs, places, located, lang, ranks, new):  # type: ignore[no-untyped-def]
        if rtype == "commands":
            return rng.choice(people), rng.choice([e for e in armed if e.type != "Coalition"] or armed)
        if rtype in ("alliedWith", "hostileTo"):
            return tuple(rng.sample(armed, 2))
        if rtype == "supports":
            return rng.choice(orgs), rng.choice(armed)
        if rtype in ("controls", "basedAt", "operatesIn"):
            return rng.choice(armed), rng.choice([p for p in places if p.type != "Country"])
        if rtype == "locatedIn":
            return rng.choice(located) if located else None
        if rtype == "hasRank":
            k = rng.randrange(len(RANKS))
            ar, en = RANKS[k]
            return rng.choice(people), new(f"rank{k + 1}", "Rank", ar if lang == "ar" else en, "rank")
        if rtype == "hasTitle":
            k = rng.randrange(len(TITLES))
            ar, en = TITLES[k]
            return rng.choice(people), new(f"title{k + 1}", "Title", ar if lang == "ar" else en, "title")
        return None

    def _yaml(self, text: str, meta: dict, ents: list[_Ent], relations: list[dict], events: list[dict]) -> str:
        def quote(span: tuple[int, int] | tuple[int, int, str]) -> str:
            s, e = span[0], span[1]
            piece = text[s:e]
            if text.count(piece) == 1:
                return _q(piece)
            return f"{{text: {_q(piece)}, at: [{s}, {e}]}}"

        out = ["article:"]
        out += [f"  {k}: {_q(v)}" for k, v in meta.items()]
        out.append("entities:")
        for e in ents:
            mentions = ", ".join(f"{{text: {_q(t)}, at: [{s}, {end}]}}" for s, end, t in e.spans)
            actor = f", actor: {e.actor}" if e.actor else ""
            out.append(f"  - {{id: {e.id}, type: {e.type}{actor}, mentions: [{mentions}]}}")
        out.append("relations:")
        for r in relations:
            parts = [f"type: {r['type']}", f"subject: {r['subject']}", f"object: {r['object']}",
                     f"evidence: {quote(r['evidence'])}"]
            if r["claimant"]:
                parts.append(f"claimant: {r['claimant']}")
            parts.append(f"date: {_q(r['date'])}")
            parts += [f"{flag}: true" for flag in ("negated", "uncertain", "former") if r.get(flag)]
            out.append(f"  - {{{', '.join(parts)}}}")
        out.append("events:")
        for ev in events:
            out.append(f"  - id: {ev['id']}")
            out.append(f"    type: {ev['type']}")
            s, e, t = ev["trigger"]
            out.append(f"    trigger: {{text: {_q(t)}, at: [{s}, {e}]}}")
            args = ", ".join(f"{role}: [{', '.join(ids)}]" for role, ids in ev["arguments"].items())
            out.append(f"    arguments: {{{args}}}")
            out.append(f"    place: {ev['place']}")
            out.append(f"    date: {_q(ev['date'])}")
            if ev["claimant"]:
                out.append(f"    claimant: {ev['claimant']}")
            out.append("    figures:")
            for f in ev["figures"]:
                parts = [f"kind: {f['kind']}", f"count: {f['count']}", f"qualifier: {f['qualifier']}",
                         f"of: {f['of']}"]
                if f.get("claimant"):
                    parts.append(f"claimant: {f['claimant']}")
                parts.append(f"evidence: {quote(f['evidence'])}")
                out.append(f"      - {{{', '.join(parts)}}}")
        return "\n".join(out) + "\n"


def generate_corpus(dest: Path, n_articles: int, *, seed: int = 0, relations_per_article: int = 20) -> Path:
    """Write a synthetic corpus of ``n_articles`` articles into ``dest`` (created if needed); returns ``dest``.

    Deterministic: the same arguments give byte-identical files. ``dest/synth.json`` holds the counts a
    build must report (``articles``, ``assertions``, ``relations``, ``relations_by_type``, ``events``,
    ``figures``).
    """
    dest = Path(dest)
    articles = dest / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    reg = build_registry(seed)
    (dest / "kg.toml").write_text('# A synthetic corpus.\nlanguage = "ar"\noutlet = "Al Jazeera"\n', encoding="utf-8")
    (dest / "actors.yaml").write_text(registry_yaml(reg), encoding="utf-8")
    maker = _ArticleMaker(reg, seed, relations_per_article)
    expected = _Expected()
    width = max(5, len(str(n_articles - 1)))
    for i in range(n_articles):
        text, sidecar = maker.make(i, expected)
        name = f"{i:0{width}d}"
        (articles / f"{name}.txt").write_text(text, encoding="utf-8")
        (articles / f"{name}.yaml").write_text(sidecar, encoding="utf-8")
    by_type = Counter(r[0] for r in expected.relations)
    summary = {
        "seed": seed, "relations_per_article": relations_per_article, "registry_entries": len(reg.entries),
        "articles": expected.articles, "assertions": expected.assertions, "relations": len(expected.relations),
        "negated": len(expected.negated),
        "relations_by_type": dict(sorted(by_type.items())), "events": expected.events, "figures": expected.figures,
    }
    (dest / "synth.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return dest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic annotated corpus.")
    parser.add_argument("dest", type=Path, help="corpus folder to write")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--relations", type=int, default=20, help="relations per article")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    generate_corpus(args.dest, args.n, seed=args.seed, relations_per_article=args.relations)
    summary = json.loads((args.dest / "synth.json").read_text(encoding="utf-8"))
    print(f"{args.n} articles in {time.perf_counter() - start:.1f} s: {summary['assertions']} relations "
          f"({summary['relations']} distinct), {summary['events']} events, {summary['figures']} figures, "
          f"{summary['registry_entries']} registry entries → {args.dest}")


if __name__ == "__main__":
    main()
