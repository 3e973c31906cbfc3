"""Text of the report, the charts and the ``report`` command in Indonesian and English.

One table, :data:`TEXTS`, from a key to its text in each language of :data:`LANGUAGES`.
Indonesian comes first and is the default of the report, since the analysts who read it are
Indonesian. Domain terms are not translated: the JPM categories (Memenuhi Syarat, Optimal, ...),
the 9-box names and the IP ASN categories stay as the regulations write them, in both
languages, because they are what an analyst looks up in the regulation. Texts may hold
:meth:`str.format` fields; both languages of a key hold the same fields.

Examples
--------
>>> tr = translator("en", "report")
>>> tr("placed")
'Employees placed'
>>> translator("id", "report")("placed")
'Pegawai ditempatkan'
>>> tr("of_total", part=3, total=4)
'3 of 4'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ._checks import check_choice

__all__ = ["LANGUAGES", "TEXTS", "Language", "check_language", "translator"]

Language = Literal["id", "en"]

#: The languages of every text, the default (Indonesian) first.
LANGUAGES: tuple[Language, Language] = ("id", "en")

#: Key -> {language: text}. Domain terms (categories, box names) are never keys here.
TEXTS: dict[str, dict[str, str]] = {
    # -- report: title and sections
    "report_title": {
        "id": "Laporan Penempatan dan Manajemen Talenta ASN",
        "en": "Civil Service Placement and Talent Report",
    },
    "report_intro": {
        "id": "{employees} pegawai dan {positions} jabatan ({seats} kursi). "
        "Penempatan berbasis merit: Job Person Match (JPM) dan nilai komposit merit, "
        "diselesaikan secara eksak sebagai masalah penugasan.",
        "en": "{employees} employees and {positions} positions ({seats} seats). "
        "Merit-based placement: Job Person Match (JPM) and the merit composite, solved exactly "
        "as an assignment problem.",
    },
    "section_summary": {"id": "Ringkasan", "en": "Summary"},
    "section_placement": {"id": "Penempatan", "en": "Placement"},
    "section_nine_box": {"id": "Pemetaan Talenta (9-Box)", "en": "Talent mapping (9-box)"},
    "section_gaps": {"id": "Kesenjangan Kompetensi", "en": "Competency gaps"},
    "section_development": {"id": "Pengembangan Kompetensi", "en": "Competency development"},
    "section_notes": {"id": "Catatan", "en": "Notes"},
    # -- report: key figures
    "employees": {"id": "Pegawai", "en": "Employees"},
    "positions": {"id": "Jabatan", "en": "Positions"},
    "seats": {"id": "Kursi jabatan", "en": "Seats"},
    "placed": {"id": "Pegawai ditempatkan", "en": "Employees placed"},
    "filled_seats": {"id": "Kursi terisi", "en": "Seats filled"},
    "unfilled_seats": {"id": "Kursi kosong", "en": "Seats unfilled"},
    "mean_jpm": {"id": "Rata-rata JPM yang ditempatkan", "en": "Mean JPM of those placed"},
    "moves": {"id": "Pejabat yang berpindah", "en": "Incumbents who move"},
    "of_total": {"id": "{part} dari {total}", "en": "{part} of {total}"},
    "no_value": {"id": "-", "en": "-"},
    # -- report: tables
    "category": {"id": "Kategori JPM", "en": "JPM category"},
    "count": {"id": "Jumlah", "en": "Count"},
    "share": {"id": "Persentase", "en": "Share"},
    "unit": {"id": "Unit kerja", "en": "Unit"},
    "holders_before": {"id": "Pejabat sebelum", "en": "Holders before"},
    "holders_after": {"id": "Pejabat sesudah", "en": "Holders after"},
    "moved_in": {"id": "Masuk", "en": "Moved in"},
    "moved_out": {"id": "Keluar", "en": "Moved out"},
    "mean_before": {"id": "Rata-rata komposit sebelum", "en": "Mean composite before"},
    "mean_after": {"id": "Rata-rata komposit sesudah", "en": "Mean composite after"},
    "unit_changes": {
        "id": "Perubahan per unit kerja (unit dengan perpindahan terbanyak)",
        "en": "Changes per unit (the units with the most moves)",
    },
    "box": {"id": "Kotak", "en": "Box"},
    "box_name": {"id": "Nama kotak", "en": "Box name"},
    "action": {"id": "Tindak lanjut", "en": "Recommended action"},
    "people": {"id": "Pegawai", "en": "People"},
    "competency": {"id": "Kompetensi", "en": "Competency"},
    "total_gap": {"id": "Total kesenjangan (level)", "en": "Total gap (levels)"},
    "total_hours": {"id": "Total JP", "en": "Total JP"},
    "jpm_gain": {"id": "Kenaikan JPM", "en": "JPM gain"},
    "training_needs": {
        "id": "Kebutuhan pelatihan: kesenjangan yang paling umum dan paling mahal",
        "en": "Training needs: the most common and most costly gaps",
    },
    "people_with_gaps": {"id": "Pegawai dengan kesenjangan", "en": "Employees with gaps"},
    "gap_hours": {"id": "JP untuk menutup kesenjangan", "en": "JP to close the gaps"},
    "median_years": {
        "id": "Median tahun pada 20 JP per tahun",
        "en": "Median years at 20 JP a year",
    },
    "below_20jp": {
        "id": "Pegawai dengan pengembangan < 20 JP tahun lalu",
        "en": "Employees with < 20 JP of development last year",
    },
    "longest_plans": {
        "id": "Rencana pengembangan terpanjang",
        "en": "The longest development plans",
    },
    "employee": {"id": "Pegawai", "en": "Employee"},
    "gaps": {"id": "Kesenjangan", "en": "Gaps"},
    "hours": {"id": "JP", "en": "JP"},
    "years_at_20jp": {"id": "Tahun pada 20 JP", "en": "Years at 20 JP"},
    "first_gap": {"id": "Prioritas pertama", "en": "First priority"},
    "no_gaps": {"id": "Tidak ada kesenjangan.", "en": "No gaps."},
    "no_charts": {
        "id": "Grafik tidak disertakan (charts=False).",
        "en": "Charts left out (charts=False).",
    },
    "note_categories": {
        "id": "Kategori JPM: {best} >= {high}%, {middle} {low}% s.d. < {high}%, {worst} < {low}%.",
        "en": "JPM categories: {best} >= {high}%, {middle} {low}% to < {high}%, {worst} < {low}%.",
    },
    "note_nine_box": {
        "id": "9-box menurut PermenPANRB 3/2020 (diubah 20/2025); batas kelompok dan penomoran "
        "kotak adalah kebijakan yang dapat diatur.",
        "en": "9-box after PermenPANRB 3/2020 (as amended by 20/2025); band cut-offs and box "
        "numbering are a configurable policy.",
    },
    "note_development": {
        "id": "Hak pengembangan kompetensi paling sedikit 20 JP per tahun (PP 11/2017 pasal "
        "203 ayat 4); analisis kesenjangan terhadap jabatan saat ini (pasal 206 ayat 2).",
        "en": "The right to at least 20 JP of competency development a year (PP 11/2017 art. "
        "203(4)); gap analysis against the current position (art. 206(2)).",
    },
    "generated_by": {
        "id": "Dibuat dengan asn_match {version}.",
        "en": "Made with asn_match {version}.",
    },
    # -- report: fairness (asn_match.audit)
    "section_fairness": {"id": "Keadilan Penempatan", "en": "Fairness of the placement"},
    "fairness_intro": {
        "id": "Tingkat penempatan per kelompok atribut yang dilindungi, yang tidak dipakai dalam "
        "penilaian maupun penempatan. Tanda 4/5: tingkat di bawah 80% dari kelompok tertinggi "
        "(dengan paling sedikit {size} orang); p: uji eksak Fisher terhadap pegawai lain. "
        "Usia per {date}. Angka kelompok dengan kurang dari {size} orang tidak ditampilkan.",
        "en": "Placement rates by protected group; these attributes take no part in scoring or "
        "placement. 4/5 flag: a rate below 80% of the highest group's (of at least {size} "
        "people); p: Fisher's exact test against everyone else. Ages at {date}. Figures of "
        "groups of fewer than {size} people are withheld.",
    },
    "attribute": {"id": "Atribut", "en": "Attribute"},
    "group": {"id": "Kelompok", "en": "Group"},
    "selection_rate": {"id": "Tingkat penempatan", "en": "Placement rate"},
    "impact_ratio": {"id": "Rasio thd. tertinggi", "en": "Ratio to the highest"},
    "four_fifths": {"id": "Tanda 4/5", "en": "4/5 flag"},
    "fisher_p": {"id": "p (Fisher)", "en": "p (Fisher)"},
    "flag_yes": {"id": "di bawah 4/5", "en": "below 4/5"},
    "small_group": {"id": "kelompok kecil", "en": "small group"},
    "attr_gender": {"id": "Jenis kelamin", "en": "Gender"},
    "attr_religion": {"id": "Agama", "en": "Religion"},
    "attr_age_band": {"id": "Kelompok usia", "en": "Age band"},
    "attr_ethnicity": {"id": "Suku", "en": "Ethnicity"},
    "attr_origin": {"id": "Daerah asal", "en": "Origin"},
    "attr_marital_status": {"id": "Status perkawinan", "en": "Marital status"},
    "attr_disability": {"id": "Disabilitas", "en": "Disability"},
    # -- charts
    "chart_nine_box": {"id": "Pemetaan talenta 9-box", "en": "9-box talent map"},
    "performance": {"id": "Kinerja", "en": "Performance"},
    "potential": {"id": "Potensi", "en": "Potential"},
    "band_performance_0": {"id": "Di bawah ekspektasi", "en": "Below expectation"},
    "band_performance_1": {"id": "Sesuai ekspektasi", "en": "Meets expectation"},
    "band_performance_2": {"id": "Di atas ekspektasi", "en": "Above expectation"},
    "band_potential_0": {"id": "Rendah", "en": "Low"},
    "band_potential_1": {"id": "Menengah", "en": "Medium"},
    "band_potential_2": {"id": "Tinggi", "en": "High"},
    "chart_gaps": {"id": "Kesenjangan kompetensi per unit kerja", "en": "Competency gaps by unit"},
    "not_mapped": {"id": "tanpa kotak (data kosong)", "en": "without a box (data missing)"},
    "left_out": {
        "id": "tidak ditampilkan: {units} unit kerja, {competencies} kompetensi",
        "en": "left out: {units} units, {competencies} competencies",
    },
    "chart_jpm": {"id": "Sebaran JPM per kategori", "en": "JPM distribution by category"},
    "jpm_percent": {"id": "JPM (%)", "en": "JPM (%)"},
    "pairs": {"id": "Jumlah pasangan pegawai-jabatan", "en": "Employee-position pairs"},
    "people_placed": {"id": "Pegawai ditempatkan", "en": "Employees placed"},
    "chart_flows": {
        "id": "Alur penempatan: unit kerja saat ini ke unit kerja baru",
        "en": "Placement flows: current unit to new unit",
    },
    "current_unit": {"id": "Unit saat ini", "en": "Current unit"},
    "new_unit": {"id": "Unit baru", "en": "New unit"},
    "stays_in_unit": {"id": "Tetap di unit", "en": "Stays in unit"},
    "changes_unit": {"id": "Pindah unit", "en": "Changes unit"},
    "not_placed": {"id": "Tidak ditempatkan", "en": "Not placed"},
    "no_unit": {"id": "(tanpa unit)", "en": "(no unit)"},
    # -- command line
    "cli_written": {"id": "laporan ditulis ke {path}", "en": "report written to {path}"},
}


def check_language(lang: object, caller: str) -> Language:
    """``lang`` as one of :data:`LANGUAGES`, or :class:`InvalidParameterError`.

    Examples
    --------
    >>> check_language("en", "report")
    'en'
    """
    return check_choice(lang, "lang", caller, LANGUAGES)  # type: ignore[arg-type]


def translator(lang: object, caller: str) -> Callable[..., str]:
    """A function from a key of :data:`TEXTS` (and format fields) to its text in ``lang``.

    Parameters
    ----------
    lang : {"id", "en"}
        Checked here, so a caller passes its option on as it was given.
    caller : str
        The public function whose option ``lang`` is, named in the error.

    Returns
    -------
    callable
        ``tr(key, **fields)``; a key not in :data:`TEXTS` is a ``KeyError`` (a bug, not input).

    Examples
    --------
    >>> translator("id", "nine_box_chart")("potential")
    'Potensi'
    """
    language = check_language(lang, caller)

    def tr(key: str, **fields: object) -> str:
        text = TEXTS[key][language]
        return text.format(**fields) if fields else text

    return tr
