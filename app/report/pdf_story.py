"""The flowables of the full review report: cover, headlines, findings, actions, sign-off page."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from app.report.document import (
    ACCURACY_TITLE,
    CORRECTION_HEADER,
    CORRECTION_SHARES,
    PLANNING_TITLE,
    accuracy_intro,
    FINDINGS_LEAD,
    NO_REASON,
    NOT_RECORDED,
    NOTES_APPENDIX,
    NOTES_APPENDIX_CARE,
    NOTES_APPENDIX_LEAD,
    NOTES_HEADER,
    ReportAction,
    ReportAttendee,
    ReportDocument,
    ReportEntry,
    ReportNote,
    ReportSection,
)
from app.report.pdf_flowables import ReportFlowables
from app.report.pdf_pages import Bookmark
from app.report.styles import (
    ANSWER_COLOURS,
    BORDER,
    NHS_BLUE,
    NHS_RED,
    NOT_ANSWERED_COLOURS,
    PALE_BLUE,
    PALE_GREY,
    PALE_RED,
    PALE_YELLOW,
    WARM_YELLOW,
    ReportStyles,
    date_time,
    long_date,
    markup,
    note_time,
    short_date,
    table_style,
)

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
_VERIFY_MARK = re.compile(r"\s*\(verify\)")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class ReportStory(ReportFlowables):
    """Builds the list of flowables for one ReportDocument."""

    def __init__(self, doc: ReportDocument, styles: ReportStyles) -> None:
        super().__init__(styles)
        self.doc = doc

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.cover()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.headlines()
        story += self.escalation_and_safeguarding()
        # What must happen next comes before the detail behind it. The action plan is wide: it gets
        # landscape pages, with the previous review's actions, the next review and amendments after it.
        story += [NextPageTemplate("wide" if self.doc.actions else "body"), PageBreak()]
        story += self.recommendations()
        story += self.previous_actions()
        story += self.next_review()
        story += self.amendments()
        story += self.accuracy_check()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self.about_the_review()
        story += [CondPageBreak(110 * mm)]
        story += self.findings()
        story += [PageBreak()]
        story += self.notes_appendix()
        story += [PageBreak()]
        story += self.how_to_check()
        story += [NextPageTemplate("signoff"), PageBreak()]
        story += self.signoff()
        return story

    def cover(self) -> list[Flowable]:
        d, s = self.doc, self.s
        banner = Table([[[
            Paragraph(markup(f"{d.review_type_short} report"), s.cover_kicker),
            Paragraph(markup(d.review_type), s.cover_title),
            Paragraph(markup(f"{d.person}  \u00b7  {long_date(d.review_date)}"), s.cover_sub),
        ]]], colWidths=[self.width])
        banner.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), NHS_BLUE),
            ("LEFTPADDING", (0, 0), (-1, -1), 16),
            ("RIGHTPADDING", (0, 0), (-1, -1), 16),
            ("TOPPADDING", (0, 0), (-1, -1), 16),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 20),
        ]))
        revision = (f"{d.revision} (first issue)" if d.revision <= 1
                    else f"{d.revision} (amended: see Amendments)")
        facts = [
            ("Person (pseudonym)", markup(d.person)),
            ("Review", markup(f"{d.review_type} ({d.review_type_short})")),
            ("Date of review", markup(long_date(d.review_date))),
            ("Place", markup(d.place)),
            *self.process_facts(),
            ("How the panel met", markup(d.mode)),
            ("Environment seen", "Yes: the panel saw where the person lives" if d.environment_seen
             else "No: the panel did not see where the person lives"),
            ("Next review due", markup(long_date(d.next_review_due) if d.next_review_due else "To be agreed")),
            ("Report revision", markup(revision)),
            ("Report produced", markup(date_time(d.generated_at))),
        ]
        story: list[Flowable] = [
            Bookmark("cover", "Cover", 0), banner, Spacer(1, 6 * mm),
            self.key_values(facts), Spacer(1, 4 * mm),
            Paragraph("The panel", s.h2),
        ]
        if d.panel:
            rows = [[Paragraph(markup(a.name), s.cell_bold), Paragraph(markup(a.role), s.cell),
                     Paragraph(markup(a.organisation), s.cell)] for a in d.panel]
            story.append(self.grid(("Name", "Role", "Organisation"), rows,
                                   (52 * mm, 62 * mm, self.width - 114 * mm)))
        else:
            story.append(self.p("No panel members were recorded."))
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                "This report holds personal and health information. Handle, store and share it as "
                f"{markup(d.marking)}, only with people who need it for the person's care.", s.small),
        ]
        return story

    def headlines(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Headline answers", "headlines")
        count = _NUMBER_WORDS.get(len(d.headlines), str(len(d.headlines)))
        story.append(Paragraph(f"The panel's answers to the {count} headline questions, with their reasons.",
                               s.lead))
        pill_width = 30 * mm
        for h in d.headlines:
            fill, ink = ANSWER_COLOURS.get(h.answer, NOT_ANSWERED_COLOURS)
            pill_style = s.pill.clone(f"pill{h.number}", textColor=ink)
            left = [Paragraph(markup(f"{h.number}. {h.question}"), s.box_title),
                    Paragraph(markup(h.reasons) if h.reasons else "<i>No reasons recorded.</i>", s.body)]
            card = Table([[left, Paragraph(markup(h.answer), pill_style)]],
                         colWidths=[self.width - pill_width, pill_width], splitInRow=1)
            card.setStyle(table_style([
                ("BOX", (0, 0), (-1, -1), 0.6, BORDER),
                ("LINEBEFORE", (0, 0), (0, -1), 4, NHS_BLUE),
                ("BACKGROUND", (1, 0), (1, 0), fill),
                ("VALIGN", (0, 0), (0, 0), "TOP"),
                ("VALIGN", (1, 0), (1, 0), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 12),
                ("RIGHTPADDING", (0, 0), (0, 0), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]))
            story += [card, Spacer(1, 4 * mm)]
        if not d.headlines:
            story.append(self.p("This review type has no headline questions."))
        return story

    def escalation_and_safeguarding(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story: list[Flowable] = [CondPageBreak(60 * mm)]
        story += self.heading("Escalation flags and safeguarding", "escalation", style=s.h2)
        if d.escalation_flags:
            content = [Paragraph("Escalation flags", s.box_title),
                       Paragraph("These need attention after the review:", s.body)]
            content += self.bullets([f"<b>{markup(flag)}</b>" for flag in d.escalation_flags])
            story.append(self.callout(content, PALE_YELLOW, WARM_YELLOW))
        else:
            story.append(self.callout([Paragraph("Escalation flags", s.box_title),
                                       Paragraph("No escalation flags were raised.", s.body)],
                                      PALE_GREY, BORDER))
        story += self.decision_and_process()
        story.append(Spacer(1, 5 * mm))
        concerns = [(section, e) for section in d.sections for e in section.concerns if e.safeguarding]
        if concerns:
            content = [Paragraph("Safeguarding concerns", s.box_title)]
            for section, entry in concerns:
                lead = (f"Named person: <b>{markup(entry.safeguarding_lead)}</b>" if entry.safeguarding_lead
                        else "<font color='#D5281B'><b>Named person: not recorded</b></font>")
                evidence = self.evidence_text(entry)
                detail = markup(_section_name(section))
                lines = [f"<b>{markup(entry.text)}</b>", f"Section: {detail}"]
                if evidence:
                    lines.append(f"Evidence: {evidence}")
                lines.append(lead)
                content.append(Paragraph("<br/>".join(lines), s.bullet, bulletText="\u2022"))
            story.append(self.callout(content, PALE_RED, NHS_RED))
        else:
            story.append(self.callout([Paragraph("Safeguarding concerns", s.box_title),
                                       Paragraph("No safeguarding concerns were raised.", s.body)],
                                      PALE_GREY, BORDER))
        return story

    def process_facts(self) -> list[tuple[str, str]]:
        """The first page's place and process facts (CQC rating, secure level, segregation, why requested)."""
        return [(label, markup(value)) for label, value in self.doc.process_facts]

    def decision_and_process(self) -> list[Flowable]:
        """The panel's escalation decision and any process step due (a root cause analysis), if recorded."""
        d, s = self.doc, self.s
        if not (d.escalation_decision or d.process_flags):
            return []
        content: list[Flowable] = [Paragraph("The panel's decision", s.box_title)]
        content += [Paragraph(markup(line), s.body) for line in d.escalation_decision] or [
            Paragraph("The panel has not recorded its decision.", s.body)]
        content += self.bullets([f"<b>{markup(flag)}</b>" for flag in d.process_flags])
        return [Spacer(1, 3 * mm), self.callout(content, PALE_BLUE, NHS_BLUE)]

    def about_the_review(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("About the review", "about")
        # The person's situation.
        story += self.heading("The person's situation", "about-situation", level=1)
        situation = [("Age band", markup(d.age_band) or "Not recorded"),
                     ("Legal status", markup(d.legal_status) or "Not recorded"),
                     ("Setting", markup(_sentence_case(d.setting))),
                     ("Admitted", markup(long_date(d.admission_date, "Not recorded")))]
        if d.length_of_stay_days is not None:
            situation.append(("Length of stay", f"{d.length_of_stay_days} days"))
        situation.append(("Long-term segregation", "Yes" if d.long_term_segregation else "No"))
        story.append(self.key_values(situation))

        # Who took part.
        story += self.heading("Who took part", "about-attendance", level=1)
        widths = (48 * mm, 46 * mm, 46 * mm, self.width - 140 * mm)
        rows: list[list] = []
        extra: list[tuple] = []

        def group(title: str, people: Sequence[ReportAttendee]) -> None:
            if not people:
                return
            index = len(rows) + 1
            rows.append([Paragraph(markup(title), s.cell_bold), "", "", ""])
            extra.extend([("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index), PALE_BLUE)])
            for a in people:
                rows.append([Paragraph(markup(a.name), s.cell), Paragraph(markup(a.role), s.cell),
                             Paragraph(markup(a.organisation), s.cell), Paragraph(markup(a.attendance), s.cell)])

        group("Panel", d.panel)
        group("Others invited", d.attendees)
        if rows:
            table = self.grid(("Name", "Role", "Organisation", "Attendance"), rows, widths)
            # Group rows keep their pale blue; plain zebra striping would fight with it.
            table.setStyle(table_style(extra))
            story.append(table)
        else:
            story.append(self.p("No attendance was recorded."))

        if d.planning_facts:
            story += self.heading(PLANNING_TITLE, "about-planning", level=1)
            story.append(self.key_values([(label, markup(value)) for label, value in d.planning_facts]))

        # Consent.
        story += self.heading("Consent", "about-consent", level=1)
        consent_rows = [("Basis", f"<b>{markup(d.consent)}</b>")]
        if d.consent_detail:
            consent_rows.append(("Details", markup(d.consent_detail)))
        consent_rows.append(("Recorded by", markup(d.consent_recorded_by) or "Not recorded"))
        story.append(self.key_values(consent_rows))

        # Documents seen.
        story += self.heading("Documents seen", "about-documents", level=1)
        if d.documents_seen:
            story += self.bullets([markup(doc) for doc in d.documents_seen])
        else:
            story.append(self.p("No documents were recorded as seen."))
        return story

    def evidence_text(self, entry: ReportEntry) -> str:
        if entry.evidence and entry.evidence_detail:
            return f"{markup(entry.evidence)}: {markup(entry.evidence_detail)}"
        return markup(entry.evidence or entry.evidence_detail)

    def entry_paragraph(self, entry: ReportEntry) -> Paragraph:
        lines = []
        if entry.safeguarding:
            lines.append(f"<font color='#D5281B'><b>Safeguarding.</b></font> {markup(entry.text)}")
        else:
            lines.append(markup(entry.text))
        tags = []
        evidence = self.evidence_text(entry)
        if evidence:
            tags.append(f"Evidence: {evidence}")
        if entry.safeguarding:
            tags.append(f"Named person: {markup(entry.safeguarding_lead) or 'not recorded'}")
        if tags:
            joined = "  \u00b7  ".join(tags)
            lines.append(f"<font size='8.5' color='#4C6272'>{joined}</font>")
        return Paragraph("<br/>".join(lines), self.s.bullet, bulletText="\u2022")

    def findings(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Findings by section", "findings")
        empty = [sec for sec in d.sections if sec.is_empty]
        filled = [sec for sec in d.sections if not sec.is_empty]
        if not d.sections:
            story.append(self.p("This review type has no sections."))
        elif not filled:
            story.append(self.p("Nothing was recorded in any section."))
        else:
            story.append(Paragraph(markup(FINDINGS_LEAD), s.body))
        if empty and filled:
            names = "; ".join(markup(_section_name(sec)) for sec in empty)
            story.append(Paragraph(f"Nothing was recorded for: {names}.", s.small))
            story.append(Spacer(1, 2 * mm))
        for sec in filled:
            story += self.section(sec)
        return story

    def section(self, sec: ReportSection) -> list[Flowable]:
        s = self.s
        story: list[Flowable] = [CondPageBreak(45 * mm)]
        story += self.heading(_section_name(sec), f"section-{sec.id}", level=1)
        if sec.lead:
            story.append(Paragraph(f"Section lead: {markup(sec.lead)}", s.small))
        if sec.notes:
            story.append(Paragraph(markup(sec.notes_summary), s.small))
        for title, entries in (("Findings", sec.findings), ("Good practice", sec.good_practice),
                               ("Concerns", sec.concerns)):
            if entries:
                story.append(Paragraph(title, s.h3))
                story += [self.entry_paragraph(e) for e in entries]
        if sec.voices:
            story.append(Paragraph("In their own words", s.h3))
            for voice in sec.voices:
                quote = [Paragraph(f"\u201c{markup(voice.text)}\u201d", s.quote),
                         Paragraph(f"{markup(voice.speaker)}, {markup(voice.role)}", s.quote_by)]
                box = self.callout(quote, PALE_BLUE, NHS_BLUE)
                box.setStyle(table_style([("TOPPADDING", (0, 0), (-1, -1), 7),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                                         ("LINEBEFORE", (0, 0), (0, -1), 3, NHS_BLUE)]))
                story += [box, Spacer(1, 2.5 * mm)]
        if sec.action_numbers:
            story.append(Paragraph(markup(sec.actions_summary), s.body))
        return story

    def notes_appendix(self) -> list[Flowable]:
        """Every note, section by section, in the order it was taken: the record behind the findings."""
        d, s = self.doc, self.s
        story = self.heading(NOTES_APPENDIX, "notes")
        story.append(Paragraph(markup(NOTES_APPENDIX_LEAD), s.body))
        story.append(Paragraph(markup(NOTES_APPENDIX_CARE.format(marking=d.marking)), s.small))
        with_notes = [sec for sec in d.sections if sec.notes]
        if not with_notes:
            story.append(self.p("No notes were taken."))
        # The time column fits "21 Nov 2026," on one line, for a note taken on another day.
        widths = [23 * mm, 37 * mm, 0, 30 * mm]
        widths[2] = self.width - sum(widths)
        caption_style = s.h2.clone("NotesCaption", spaceBefore=0, spaceAfter=0, keepWithNext=0)
        for sec in with_notes:
            # Room for the section's name, the header and a first row; the table then splits where it
            # must, repeating the section's name and the header on every page it runs onto.
            story.append(CondPageBreak(35 * mm))
            mark = Bookmark(f"notes-{sec.id}", _section_name(sec), 1)
            mark.keepWithNext = 0  # kept with the table, a table that nearly fits would leave a blank page
            story.append(mark)
            caption = Paragraph(markup(_section_name(sec)), caption_style)
            story.append(self.grid(NOTES_HEADER, [self.note_row(note) for note in sec.notes], widths,
                                   caption=caption))
        return story

    def note_row(self, note: ReportNote) -> list:
        s = self.s
        name, role = note.said_by
        return [
            Paragraph(markup(note_time(note.at, self.doc.review_date)), s.cell),
            Paragraph(_name_and_role(name, role), s.cell),
            Paragraph(markup(note.text), s.cell),
            Paragraph(_name_and_role(note.author or NOT_RECORDED, note.author_role), s.cell),
        ]

    def recommendations(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Recommendations and actions", "actions")
        if not d.actions:
            story.append(self.p("The panel made no recommendations."))
            return story
        story.append(Paragraph(
            markup(f"Each action has one owner and a deadline. {d.follow_up_note}".strip()), s.body))
        w = self.wide_width
        widths = [10 * mm, 0, 50 * mm, 30 * mm, 32 * mm, 22 * mm, 17 * mm, 30 * mm]
        widths[1] = w - sum(widths)
        rows = [self.action_row(a) for a in d.actions]
        extra = []
        for index, action in enumerate(d.actions, start=1):
            if action.priority.lower() == "high":
                extra.append(("TEXTCOLOR", (6, index), (6, index), NHS_RED))
        extra += [("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)]
        story.append(self.grid(("#", "What", "Why", "Owner", "Organisation", "Deadline", "Priority", "Section"),
                               rows, widths, extra))
        return story

    def previous_actions(self) -> list[Flowable]:
        """The previous review's actions and what became of each (only for a follow-up review)."""
        d, s = self.doc, self.s
        if not d.carried:
            return []
        story = self.heading("Previous review's actions", "previous-actions")
        since = f" of {long_date(d.previous_review_date)}" if d.previous_review_date else ""
        story.append(Paragraph(markup(f"What became of the actions of the review{since} that were not done then."),
                               s.body))
        w = self.frame_width()
        widths = [0, 44 * mm, 26 * mm, 32 * mm, 0]
        widths[0] = widths[4] = (w - sum(widths)) / 2
        rows = [
            [Paragraph(markup(c.what) + (f"<br/><i>{markup(c.source_note)}</i>" if c.source_note else ""), s.cell),
             Paragraph(markup(", ".join(p for p in (c.owner, c.organisation) if p)), s.cell),
             Paragraph(markup(short_date(c.deadline, "No deadline")), s.cell),
             Paragraph(markup(c.outcome), s.cell_bold),
             Paragraph(markup(c.reason), s.cell)]
            for c in d.carried
        ]
        story.append(self.grid(("What", "Owner", "Was due", "Outcome", "Evidence or reason"), rows, widths, []))
        story.append(Spacer(1, 5 * mm))
        return story

    def action_row(self, a: ReportAction) -> list:
        s = self.s
        priority_style = s.cell_bold if a.priority.lower() == "high" else s.cell
        what = markup(a.what)
        if a.recommended_before:
            what += f"<br/><i>Recommended before on {markup(long_date(a.recommended_before))}</i>"
        if a.different_this_time:
            what += (f"<br/><font size='8'><b>Different this time:</b> "
                     f"{markup(a.different_this_time)}</font>")
        if a.completion_evidence:
            what += (f"<br/><font size='8'><b>Done when:</b> "
                     f"<font color='#4C6272'>{markup(a.completion_evidence)}</font></font>")
        return [
            Paragraph(str(a.number), s.cell_bold),
            Paragraph(what, s.cell),
            Paragraph(markup(a.why) or f"<i>{NO_REASON}</i>", s.cell),
            Paragraph(markup(a.owner) or "<i>No owner</i>", s.cell_bold),
            Paragraph(markup(a.organisation), s.cell),
            Paragraph(markup(short_date(a.deadline, "No deadline")), s.cell),
            Paragraph(
                f"<font color='#D5281B'>{markup(a.priority)}</font>" if a.priority.lower() == "high"
                else markup(a.priority), priority_style),
            Paragraph(markup(a.section), s.cell),
        ]

    def next_review(self) -> list[Flowable]:
        d, s = self.doc, self.s
        due = long_date(d.next_review_due) if d.next_review_due else "To be agreed"
        content: list[Flowable] = [Paragraph(f"Next review due: {markup(due)}", s.box_title)]
        note = _VERIFY_MARK.sub("", d.next_review_note or "").strip()
        if note:
            content.append(Paragraph(markup(note), s.body))
        return [Spacer(1, 5 * mm), Bookmark("next-review", "Next review"),
                self.callout(content, PALE_BLUE, NHS_BLUE, width=self.frame_width())]

    def frame_width(self) -> float:
        return self.wide_width if self.doc.actions else self.width

    def amendments(self) -> list[Flowable]:
        d, s = self.doc, self.s
        if not d.amendments:
            return []
        story: list[Flowable] = [Spacer(1, 4 * mm), CondPageBreak(40 * mm)]
        story += self.heading("Amendments", "amendments", style=s.h2)
        story.append(Paragraph("Changes made after the report was first issued, newest last.", s.body))
        rows = [[Paragraph(str(a.revision), s.cell_bold), Paragraph(markup(date_time(a.at)), s.cell),
                 Paragraph(markup(a.by), s.cell), Paragraph(markup(a.reason), s.cell)]
                for a in sorted(d.amendments, key=lambda a: (a.revision, a.at))]
        width = self.frame_width()
        story.append(self.grid(("Revision", "When", "By", "Reason"), rows,
                               (20 * mm, 42 * mm, 45 * mm, width - 107 * mm)))
        return story

    def accuracy_check(self) -> list[Flowable]:
        """The draft shared for the factual accuracy check and the corrections asked for."""
        d, s = self.doc, self.s
        if not d.draft_shared and not d.corrections:
            return []
        story: list[Flowable] = [Spacer(1, 4 * mm), CondPageBreak(40 * mm)]
        story += self.heading(ACCURACY_TITLE, "accuracy-check", style=s.h2)
        story.append(Paragraph(markup(accuracy_intro(d)), s.body))
        if d.corrections:
            rows = [[Paragraph(markup(c.requested_by), s.cell_bold),
                     Paragraph(markup(short_date(c.requested_on, "")), s.cell), Paragraph(markup(c.what), s.cell),
                     Paragraph(markup(c.decision), s.cell), Paragraph(markup(c.reason), s.cell)]
                    for c in d.corrections]
            width = self.frame_width()
            story.append(self.grid(CORRECTION_HEADER, rows, tuple(width * share for share in CORRECTION_SHARES)))
        return story

    def how_to_check(self) -> list[Flowable]:
        s = self.s
        story = self.heading("How to check this report's signatures", "how-to-check")
        story.append(Paragraph(
            "This report may carry digital signatures from the chair and countersigners. "
            "This page explains what they prove and how to check them.", s.lead))
        story.append(Paragraph("What a signature proves", s.h2))
        story += self.bullets([
            "<b>Who signed it:</b> the holder of the signing certificate named in the signature.",
            "<b>That nothing has changed since:</b> if even one character of the file is altered after "
            "signing, the check fails.",
            "A signature does not prove that what the report says is right. The panel's sign-off on the "
            "last page confirms the content.",
        ])
        story.append(Paragraph("Check it with ReviewDay", s.h2))
        story.append(Paragraph("On a computer with ReviewDay installed, run:", s.body))
        command = Table([[Paragraph("<b>reviewday verify FILE.pdf</b>", s.body)]], colWidths=[self.width],
                        hAlign="LEFT")
        command.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), PALE_GREY),
            ("BOX", (0, 0), (-1, -1), 0.5, BORDER),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story += [command, Spacer(1, 2 * mm)]
        story.append(Paragraph(
            "It says, for each signature, whether the file is intact, whether the signature covers the "
            "whole file, who signed and when, and the signer's certificate fingerprint.", s.body))
        story.append(Paragraph("If Adobe Reader says \u201cvalidity unknown\u201d", s.h2))
        story.append(Paragraph(
            "Adobe Acrobat Reader and other PDF readers may say the signature's validity is unknown, or "
            "that \u201cat least one signature has problems\u201d. Usually this only means the reader does "
            "not know the signer's certificate: ReviewDay signatures use a certificate held by the signer, "
            "not one issued by an authority the reader already trusts. <b>The file may still be intact.</b> "
            "Look in the reader's signature panel for \u201cthe document has not been modified since this "
            "signature was applied\u201d, or use <b>reviewday verify</b>.", s.body))
        story.append(Paragraph("Check who signed: the certificate fingerprint", s.h2))
        story.append(Paragraph(
            "To be sure who signed, compare the signer's certificate fingerprint (SHA-256), shown by "
            "<b>reviewday verify</b> or in the reader's certificate details, with the fingerprint the chair "
            "gives you. Get it from the chair directly, for example by phone, not from the same email that "
            "brought the report.", s.body))
        story.append(Spacer(1, 3 * mm))
        story.append(self.callout([Paragraph(
            "<b>If a check says the report was changed after it was signed,</b> do not rely on this copy. "
            "Ask the chair for the original.", s.body)], PALE_YELLOW, WARM_YELLOW))
        return story

    def signoff(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story = self.heading("Sign-off", "signoff")
        content: list[Flowable] = [Paragraph(
            "This is the last page of the report. The chair signs in the first box below; anyone "
            "countersigning uses the next boxes. A digital signature covers the whole report, not only "
            "this page. On a printed copy, sign by hand in the boxes and add the date.", s.body),
            Spacer(1, 3 * mm), Paragraph("Confirmed by", s.h3)]
        if d.signoffs:
            rows = [[Paragraph(markup(x.name), s.cell_bold), Paragraph(markup(x.role), s.cell),
                     Paragraph(markup(x.what), s.cell), Paragraph(markup(date_time(x.at, "")), s.cell)]
                    for x in d.signoffs]
            content.append(self.grid(("Name", "Role", "What", "When"), rows,
                                     (46 * mm, 50 * mm, 28 * mm, self.width - 124 * mm)))
        else:
            content.append(Paragraph("No one has confirmed this report yet.", s.body))
        content += [Spacer(1, 4 * mm), Paragraph(
            markup(f"Review reference {d.review_uid}, revision {d.revision}, "
                   f"KLOE template version {d.template_version}. Produced {date_time(d.generated_at)}."),
            s.small)]
        story.append(KeepInFrame(0, 0, content, mode="shrink"))
        return story


def _section_name(section: ReportSection) -> str:
    return f"{section.number}. {section.title}"


def _name_and_role(name: str, role: str) -> str:
    """A name in bold with the role beneath it in secondary grey ("Not recorded" in italics)."""
    text = f"<i>{markup(name)}</i>" if name == NOT_RECORDED else f"<b>{markup(name)}</b>"
    if role:
        text += f"<br/><font size='8' color='#4C6272'>{markup(role)}</font>"
    return text
