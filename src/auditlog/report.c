/* SPDX-License-Identifier: ISC */
/* auditlog report and alerts: the audit chain as one self-contained HTML
 * page, and the alert findings as lines. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "auditlog.h"
#include "exitcodes.h"
#include "survey.h"
#include "util.h"

#define BARS_MAX 120 /* timeline bars drawn at the most */

/* Text for an HTML element or attribute: markup characters as
 * references, control characters as visible \xNN, bad UTF-8 as U+FFFD. */
static void
html(FILE *out, const char *s)
{
	size_t len;
	char *clean = utf8_lossy(s, strlen(s), &len);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)clean[i];

		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				fprintf(out, "\\x%02X", c);
			else
				putc(c, out);
		}
	}
	free(clean);
}

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:0;color:#1b1b1b;background:#fafafa}"
    "main{max-width:1200px;margin:0 auto;padding:0 16px 48px}"
    "h1{font-size:1.5em;margin:24px 0 4px}h2{margin-top:36px;"
    "border-bottom:1px solid #ccc;padding-bottom:4px}"
    ".banner{background:#b00020;color:#fff;padding:14px 16px;"
    "font-weight:600}.banner code{color:#fff}"
    ".ok{background:#e6f4ea;border-left:6px solid #1e7e34;padding:8px 12px}"
    ".bad{background:#fdecea;border-left:6px solid #b00020;"
    "padding:8px 12px}"
    "nav{display:flex;flex-wrap:wrap;gap:4px 14px}nav a{white-space:nowrap}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;margin:8px 0;font-size:.93em}"
    "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;"
    "vertical-align:top}th{background:#eee}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}"
    "code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:.92em;word-break:break-all;white-space:pre-wrap}"
    ".legend span{display:inline-block;margin-right:14px}"
    ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;"
    "vertical-align:middle;border:1px solid #333}"
    "svg{width:100%;height:auto;max-width:1160px}"
    "@media (max-width:600px){body{font-size:14px}main{padding:0 8px 32px}"
    "th,td{padding:3px 4px}}";

static void
page_start(const struct survey *s, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:\">"
	      "<title>secenv audit report</title><style>",
	      out);
	fputs(style, out);
	fputs("</style></head><body>\n", out);
	if (!s->sound) {
		const char *nl = strchr(s->verdict, '\n');
		char first[512];

		snprintf(first, sizeof first, "%.*s",
		         nl != NULL ? (int)(nl - s->verdict) : 511, s->verdict);
		fputs("<div class=\"banner\" id=\"banner\" role=\"alert\">"
		      "UNSOUND: the audit chain does not verify. First fault: "
		      "<code>",
		      out);
		html(out, first);
		fputs("</code></div>\n", out);
	}
	fputs("<main><h1>secenv audit report</h1><p>", out);
	if (s->project != NULL) {
		fputs("Project <code>", out);
		html(out, s->project);
		fputs("</code>; ", out);
	}
	fprintf(out, "%" PRIu64 " records in range", s->in_range);
	if (s->in_range > 0) {
		fputs(", from <time>", out);
		html(out, s->first_time);
		fputs("</time> to <time>", out);
		html(out, s->last_time);
		fputs("</time> (UTC)", out);
	}
	fputs(".</p><nav><a href=\"#integrity\">Integrity</a><a "
	      "href=\"#summary\">Summary</a><a href=\"#timeline\">Timeline</a>"
	      "<a href=\"#secrets\">Secrets</a><a href=\"#denials\">Denials</a>"
	      "<a href=\"#changes\">Changes</a><a href=\"#alerts\">Alerts</a>"
	      "</nav>\n",
	      out);
}

static void
section_integrity(const struct survey *s, FILE *out)
{
	fputs("<section id=\"integrity\"><h2>Integrity</h2>", out);
	fprintf(out, "<p class=\"%s\"><strong>%s</strong>: <code>",
	        s->sound ? "ok" : "bad", s->sound ? "SOUND" : "UNSOUND");
	html(out, s->verdict);
	fputs("</code></p><div class=\"scroll\"><table><thead><tr><th>file</th>"
	      "<th>records</th><th>first seq</th><th>last seq</th><th>state</th>"
	      "</tr></thead><tbody>",
	      out);
	for (size_t i = 0; i < s->file_count; i++) {
		const struct survey_file *f = &s->files[i];

		fputs("<tr><td><code>", out);
		html(out, f->path);
		fprintf(out,
		        "</code></td><td class=\"n\">%" PRIu64
		        "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
		        "</td><td>%s</td></tr>",
		        f->records, f->first_seq, f->last_seq,
		        f->torn ? "ends in a torn line"
		                : i + 1 < s->file_count ? "rotated" : "current");
	}
	fputs("</tbody></table></div>", out);
	if (s->unreadable > 0)
		fprintf(out, "<p>%" PRIu64 " lines could not be read as records "
		        "and are left out of the figures.</p>",
		        s->unreadable);
	fputs("</section>\n", out);
}

static void
section_summary(const struct survey *s, FILE *out)
{
	struct project_stats all = {.name = "all projects"};

	fputs("<section id=\"summary\"><h2>Summary</h2><div class=\"scroll\">"
	      "<table><thead><tr><th>project</th><th>runs</th><th>refusals</th>"
	      "<th>errors</th><th>timeouts</th><th>revocations</th>"
	      "<th>reads</th></tr></thead><tbody>",
	      out);
	for (size_t i = 0; i <= s->project_count; i++) {
		const struct project_stats *p =
		    i < s->project_count ? &s->projects[i] : &all;

		if (i == s->project_count && s->project_count < 2)
			break;
		fprintf(out, "<tr data-project=\"");
		html(out, p->name);
		fputs("\"><td>", out);
		html(out, p->name);
		fprintf(out,
		        "</td><td class=\"n\" data-k=\"runs\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"refusals\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"errors\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"timeouts\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"revocations\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"reads\">%" PRIu64
		        "</td></tr>",
		        p->runs, p->refusals, p->errors, p->timeouts,
		        p->revocations, p->reads);
		all.runs += p->runs, all.refusals += p->refusals;
		all.errors += p->errors, all.timeouts += p->timeouts;
		all.revocations += p->revocations, all.reads += p->reads;
	}
	if (s->project_count == 0)
		fputs("<tr><td colspan=\"7\">no records in range</td></tr>", out);
	fputs("</tbody></table></div></section>\n", out);
}

static void
time_label(int64_t hour, bool daily, char *out, size_t size)
{
	int64_t days = hour >= 0 ? hour / 24 : (hour - 23) / 24;
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);

	if (daily)
		snprintf(out, size, "%04" PRId64 "-%02u-%02u", y, m, d);
	else
		snprintf(out, size, "%04" PRId64 "-%02u-%02u %02u:00", y, m, d,
		         (unsigned)(hour - days * 24));
}

static void
section_timeline(const struct survey *s, FILE *out)
{
	bool daily = s->hour_count > 72;
	size_t per = daily ? 24 : 1, bars, group, i;
	uint64_t top = 1;
	struct bucket *b;
	const double width = 1160, height = 240, left = 48, bottom = 40;
	double bw;

	fputs("<section id=\"timeline\"><h2>Timeline</h2>", out);
	if (s->hour_count == 0) {
		fputs("<p>No runs, refusals or errors in range.</p></section>\n",
		      out);
		return;
	}
	/* Hours into days (by calendar day), then days into groups. */
	bars = (size_t)((s->first_hour % 24 + 24) % 24) * daily;
	bars = (bars + s->hour_count + per - 1) / per;
	group = (bars + BARS_MAX - 1) / BARS_MAX;
	b = xcalloc(bars, sizeof *b);
	for (i = 0; i < s->hour_count; i++) {
		size_t at = (i + (daily ? (size_t)((s->first_hour % 24 + 24) %
		                                    24)
		                        : 0)) /
		            per;

		b[at].runs += s->hours[i].runs;
		b[at].refusals += s->hours[i].refusals;
		b[at].errors += s->hours[i].errors;
	}
	if (group > 1) {
		for (i = 0; i < bars; i++)
			if (i % group != 0) {
				b[i - i % group].runs += b[i].runs;
				b[i - i % group].refusals += b[i].refusals;
				b[i - i % group].errors += b[i].errors;
			}
	}
	for (i = 0; i < bars; i += group)
		if (b[i].runs + b[i].refusals + b[i].errors > top)
			top = b[i].runs + b[i].refusals + b[i].errors;
	fprintf(out,
	        "<p>Runs, refusals and errors per %s%s (UTC), stacked.</p>"
	        "<p class=\"legend\"><span><i class=\"sw\" "
	        "style=\"background:#2b6cb0\"></i>runs (allowed)</span><span>"
	        "<i class=\"sw\" style=\"background:#dd6b20\"></i>refusals "
	        "(striped)</span><span><i class=\"sw\" "
	        "style=\"background:#b00020\"></i>errors (dotted)</span></p>",
	        daily ? "day" : "hour",
	        group > 1 ? " (several per bar)" : "");
	fprintf(out,
	        "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"runs "
	        "per %s\"><defs><pattern id=\"stripe\" width=\"6\" height=\"6\" "
	        "patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" "
	        "fill=\"#dd6b20\"/><path d=\"M0 6L6 0\" stroke=\"#fff\" "
	        "stroke-width=\"1.5\"/></pattern><pattern id=\"dots\" "
	        "width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect "
	        "width=\"5\" height=\"5\" fill=\"#b00020\"/><circle cx=\"2.5\" "
	        "cy=\"2.5\" r=\"1\" fill=\"#fff\"/></pattern></defs>",
	        width, height, daily ? "day" : "hour");
	fprintf(out,
	        "<line x1=\"%.0f\" y1=\"10\" x2=\"%.0f\" y2=\"%.0f\" "
	        "stroke=\"#333\"/><text x=\"%.0f\" y=\"18\" font-size=\"12\" "
	        "text-anchor=\"end\">%" PRIu64 "</text><text x=\"%.0f\" y=\"%.0f\" "
	        "font-size=\"12\" text-anchor=\"end\">0</text>",
	        left, left, height - bottom, left - 4, top, left - 4,
	        height - bottom);
	bw = (width - left - 8) / (double)((bars + group - 1) / group);
	if (bw > 48)
		bw = 48; /* a few bars stay bars */
	for (i = 0; i < bars; i += group) {
		double x = left + 2 + (double)(i / group) * bw;
		double scale = (height - bottom - 14) / (double)top;
		double y = height - bottom;
		char label[64];
		const struct {
			uint64_t n;
			const char *fill, *what;
		} parts[] = {{b[i].runs, "#2b6cb0", "runs"},
		             {b[i].refusals, "url(#stripe)", "refusals"},
		             {b[i].errors, "url(#dots)", "errors"}};

		time_label(s->first_hour - (daily ? (s->first_hour % 24 + 24) %
		                                        24
		                                  : 0) +
		               (int64_t)(i * per),
		           daily, label, sizeof label);
		for (size_t k = 0; k < 3; k++) {
			double h = (double)parts[k].n * scale;

			if (parts[k].n == 0)
				continue;
			y -= h;
			fprintf(out,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			        "height=\"%.1f\" fill=\"%s\" stroke=\"#333\" "
			        "stroke-width=\".5\"><title>%s: %" PRIu64
			        " %s</title></rect>",
			        x, y, bw > 3 ? bw - 2 : bw, h, parts[k].fill,
			        label, parts[k].n, parts[k].what);
		}
		if ((i / group) % (((bars + group - 1) / group + 5) / 6) == 0)
			fprintf(out,
			        "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\">%s"
			        "</text>",
			        x, height - bottom + 16, label);
	}
	fputs("</svg><div class=\"scroll\"><table><thead><tr><th>period</th>"
	      "<th>runs</th><th>refusals</th><th>errors</th></tr></thead><tbody>",
	      out);
	for (i = 0; i < bars; i += group) {
		char label[64];

		if (b[i].runs + b[i].refusals + b[i].errors == 0)
			continue;
		time_label(s->first_hour - (daily ? (s->first_hour % 24 + 24) %
		                                        24
		                                  : 0) +
		               (int64_t)(i * per),
		           daily, label, sizeof label);
		fprintf(out,
		        "<tr><td>%s</td><td class=\"n\">%" PRIu64
		        "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
		        "</td></tr>",
		        label, b[i].runs, b[i].refusals, b[i].errors);
	}
	fputs("</tbody></table></div></section>\n", out);
	free(b);
}

static void
section_secrets(const struct survey *s, FILE *out)
{
	fputs("<section id=\"secrets\"><h2>Secrets</h2><p>Per project and "
	      "secret name: the runs and reads that had it injected, the masks "
	      "it produced in their output, and its last change.</p>"
	      "<div class=\"scroll\"><table><thead><tr><th>project</th>"
	      "<th>secret</th><th>injected</th><th>masks</th>"
	      "<th>last changed</th></tr></thead><tbody>",
	      out);
	for (size_t i = 0; i < s->secret_count; i++) {
		const struct secret_cell *c = &s->secrets[i];

		fputs("<tr data-secret=\"", out);
		html(out, c->name);
		fputs("\"><td>", out);
		html(out, s->projects[c->project].name);
		fputs("</td><td><code>", out);
		html(out, c->name);
		fprintf(out,
		        "</code></td><td class=\"n\" data-k=\"injected\">%" PRIu64
		        "</td><td class=\"n\" data-k=\"masks\">%" PRIu64 "</td><td>",
		        c->injected, c->masks);
		if (c->changed[0]) {
			html(out, c->changed);
			fputs(" (", out);
			html(out, c->change_event);
			fputs(")", out);
		} else {
			fputs("not in range", out);
		}
		fputs("</td></tr>", out);
	}
	if (s->secret_count == 0)
		fputs("<tr><td colspan=\"5\">no secrets named in range</td></tr>",
		      out);
	fputs("</tbody></table></div>", out);
	if (s->secret_count == SURVEY_SECRETS_MAX)
		fprintf(out, "<p>Only the first %d project and name pairs are "
		        "counted.</p>",
		        SURVEY_SECRETS_MAX);
	fputs("</section>\n", out);
}

static void
section_denials(const struct survey *s, FILE *out)
{
	fputs("<section id=\"denials\"><h2>Denials</h2><p>Refused commands "
	      "and reads, grouped by the guard's reason, with the latest "
	      "commands of each (masked as recorded).</p><div class=\"scroll\">"
	      "<table><thead><tr><th>reason</th><th>count</th>"
	      "<th>latest commands</th></tr></thead><tbody>",
	      out);
	for (size_t i = 0; i < s->denial_count; i++) {
		const struct denial_group *g = &s->denials[i];

		fputs("<tr><td>", out);
		html(out, g->reason);
		fprintf(out, "</td><td class=\"n\">%" PRIu64 "</td><td>",
		        g->count);
		for (size_t k = 0; k < g->example_count; k++) {
			size_t at = (g->example_next + SURVEY_EXAMPLES - 1 - k) %
			            SURVEY_EXAMPLES;

			fputs("<code>", out);
			html(out, g->examples[at]);
			fputs("</code><br>", out);
		}
		fputs("</td></tr>", out);
	}
	if (s->denial_count == 0)
		fputs("<tr><td colspan=\"3\">no refusals in range</td></tr>", out);
	fputs("</tbody></table></div>", out);
	if (s->denials_other > 0)
		fprintf(out, "<p>%" PRIu64 " more refusals with other reasons.</p>",
		        s->denials_other);
	fputs("</section>\n", out);
}

static void
section_changes(const struct survey *s, FILE *out)
{
	size_t first = (s->change_next + SURVEY_CHANGES_MAX - s->change_count) %
	               SURVEY_CHANGES_MAX;

	fputs("<section id=\"changes\"><h2>Changes</h2>", out);
	if (s->changes_total > s->change_count)
		fprintf(out, "<p>The newest %zu of %" PRIu64 " owner actions.</p>",
		        s->change_count, s->changes_total);
	fputs("<div class=\"scroll\"><table><thead><tr><th>time (UTC)</th>"
	      "<th>action</th><th>project</th><th>secrets</th></tr></thead>"
	      "<tbody>",
	      out);
	for (size_t k = 0; k < s->change_count; k++) {
		const struct change *c =
		    &s->changes[(first + k) % SURVEY_CHANGES_MAX];

		fputs("<tr><td>", out);
		html(out, c->time);
		fputs("</td><td>", out);
		html(out, c->event);
		fputs("</td><td>", out);
		html(out, c->project);
		fputs("</td><td>", out);
		html(out, c->detail);
		fputs("</td></tr>", out);
	}
	if (s->change_count == 0)
		fputs("<tr><td colspan=\"4\">no owner actions in range</td></tr>",
		      out);
	fputs("</tbody></table></div></section>\n", out);
}

static void
section_alerts(const struct survey *s, FILE *out)
{
	fputs("<section id=\"alerts\"><h2>Alerts</h2>", out);
	if (s->findings_total == 0) {
		fputs("<p class=\"ok\">No findings.</p></section>\n", out);
		return;
	}
	fprintf(out, "<p class=\"bad\"><strong>%" PRIu64 " finding%s</strong>"
	        "</p><div class=\"scroll\"><table><thead><tr><th>time (UTC)</th>"
	        "<th>project</th><th>rule</th><th>finding</th></tr></thead>"
	        "<tbody>",
	        s->findings_total, s->findings_total == 1 ? "" : "s");
	for (size_t i = 0; i < s->finding_count; i++) {
		const struct finding *f = &s->findings[i];

		fprintf(out, "<tr data-rule=\"%s\"><td>", f->rule);
		html(out, f->time);
		fputs("</td><td>", out);
		html(out, f->project);
		fprintf(out, "</td><td>%s</td><td>", f->rule);
		html(out, f->detail);
		fputs("</td></tr>", out);
	}
	fputs("</tbody></table></div>", out);
	if (s->findings_total > s->finding_count)
		fprintf(out, "<p>Only the first %zu findings are listed.</p>",
		        s->finding_count);
	fputs("</section>\n", out);
}

void
report_write_html(const struct survey *s, FILE *out)
{
	page_start(s, out);
	section_integrity(s, out);
	section_summary(s, out);
	section_timeline(s, out);
	section_secrets(s, out);
	section_denials(s, out);
	section_changes(s, out);
	section_alerts(s, out);
	fputs("<p>Made by <code>auditlog report</code> from the records in "
	      "range.</p></main></body></html>\n",
	      out);
}

static void
survey_setup(struct survey *s, const struct report_options *r)
{
	int64_t now = (int64_t)now_ms();

	memset(s, 0, sizeof *s);
	s->project = r->project;
	s->since = INT64_MIN;
	s->until = INT64_MAX;
	if (r->since != NULL && !survey_parse_time(r->since, now, &s->since))
		errx(EXIT_USAGE, "--since: not a time: %s", printable(r->since));
	if (r->until != NULL && !survey_parse_time(r->until, now, &s->until))
		errx(EXIT_USAGE, "--until: not a time: %s", printable(r->until));
	alert_config_load(&s->cfg, r->config);
}

int
report_main(const struct auditlog_options *o, const struct report_options *r)
{
	struct log_paths paths;
	struct survey s;
	FILE *out;
	char *page = NULL;
	size_t page_len = 0;

	if (r->output == NULL)
		errx(EXIT_USAGE, "report: -o FILE.html is required");
	survey_setup(&s, r);
	log_paths_init(&paths, o->file);
	survey_run(&s, paths.log, o->key_path);
	out = open_memstream(&page, &page_len);
	if (out == NULL)
		err(EXIT_FAIL, "report");
	report_write_html(&s, out);
	if (fclose(out) != 0)
		err(EXIT_FAIL, "report");
	if (strcmp(r->output, "-") == 0) {
		if (write_full(STDOUT_FILENO, page, page_len) != 0)
			err(EXIT_FAIL, "write standard output");
	} else if (atomic_replace(r->output, page, page_len) != 0) {
		err(EXIT_FAIL, "%s", printable(r->output));
	}
	free(page);
	survey_free(&s);
	return s.sound ? EXIT_OK : EXIT_NO;
}

int
alerts_main(const struct auditlog_options *o, const struct report_options *r)
{
	struct log_paths paths;
	struct survey s;
	int rc;

	survey_setup(&s, r);
	log_paths_init(&paths, o->file);
	survey_run(&s, paths.log, o->key_path);
	for (size_t i = 0; i < s.finding_count; i++) {
		const struct finding *f = &s.findings[i];

		if (o->json) {
			json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "time",
			                      f->time, "project", f->project,
			                      "rule", f->rule, "finding",
			                      f->detail);
			char *line = j != NULL ? json_dumps(j, JSON_COMPACT)
			                       : NULL;

			if (line == NULL)
				errx(EXIT_FAIL, "alerts: cannot format a finding");
			puts(line);
			free(line);
			json_decref(j);
		} else {
			printf("%s %s %s: %s\n", f->time[0] ? f->time : "-",
			       f->project[0] ? printable(f->project) : "-",
			       f->rule, f->detail);
		}
	}
	if (s.findings_total > s.finding_count)
		warnx("only the first %zu of %" PRIu64 " findings are shown",
		      s.finding_count, s.findings_total);
	if (fflush(stdout) != 0 || ferror(stdout))
		err(EXIT_FAIL, "write standard output");
	rc = !s.sound ? EXIT_FAIL : s.findings_total > 0 ? EXIT_NO : EXIT_OK;
	survey_free(&s);
	return rc;
}
