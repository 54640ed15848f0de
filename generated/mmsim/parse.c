/* Tangled from src-lit/90-mmsim.nw (appendix F); do not edit. */
/*
 * mmsim: reading scenario files.
 * Tangled from src-lit/90-mmsim.nw (appendix "The scenario tool").
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mmsim.h"

#define MMSIM_MAX_ERRORS	20
#define MMSIM_MAX_LINE		4096
#define MMSIM_MAX_OPEN		200

struct parser {
	struct mmsim_scenario *s;
	FILE *err;
	int lineno;
};

struct word_arg {
	long long v;		/* number, byte, flag bits, choice, option */
	int slot;		/* a name: index into the run's objects */
	const char *word;	/* the word as written */
};

static int parse_error(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (++p->s->errors > MMSIM_MAX_ERRORS)
		return -1;
	fprintf(p->err, "%s:%d: error: ", p->s->file, p->lineno);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	return -1;
}

static int split_words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return n + 1;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static char *join_words(char **w, int n)
{
	size_t len = 0;
	char *text;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	text = malloc(len + 1);
	if (!text)
		return NULL;
	text[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, w[i]);
	}
	return text;
}

static const char *const kind_names[] = {
	[MMSIM_FILE]	= "file",
	[MMSIM_MAP]	= "mapping",
	[MMSIM_UFFD]	= "userfaultfd",
};

static int valid_word(const char *w, const char *extra)
{
	if (!*w)
		return 0;
	for (; *w; w++) {
		if (!isalnum((unsigned char)*w) && *w != '_' &&
		    !strchr(extra, *w))
			return 0;
	}
	return 1;
}

static struct mmsim_name *find_name(struct mmsim_scenario *s, const char *w,
				    enum mmsim_kind kind)
{
	int i;

	for (i = 0; i < s->nnames; i++) {
		if (s->names[i].kind == kind && !strcmp(s->names[i].name, w))
			return &s->names[i];
	}
	return NULL;
}

static void creators_of(enum mmsim_kind kind, char *buf, size_t n)
{
	const struct mmsim_op *op;
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (op = mmsim_ops; op->name && len < n; op++) {
		for (i = 0; i < op->nspec; i++) {
			if (op->spec[i].creates &&
			    op->spec[i].name_kind == kind) {
				len += snprintf(buf + len, n - len, "%s%s",
						len ? " or " : "", op->name);
				break;
			}
		}
	}
}

static int use_name(struct parser *p, const struct mmsim_argspec *a,
		    const char *w, struct word_arg *arg)
{
	const char *kind = kind_names[a->name_kind];
	struct mmsim_name *name;
	char creators[128];
	int k;

	name = find_name(p->s, w, a->name_kind);
	if (name) {
		arg->slot = name - p->s->names;
		return 0;
	}
	for (k = 0; k <= MMSIM_UFFD; k++) {
		if (find_name(p->s, w, k))
			return parse_error(p, "'%s' is a %s: expected the "
					   "name of a %s", w, kind_names[k],
					   kind);
	}
	creators_of(a->name_kind, creators, sizeof(creators));
	return parse_error(p, "%s '%s' used before it was created: "
			   "expected a %s made by %s on an earlier line",
			   kind, w, kind, creators);
}

static int open_descriptors(const struct mmsim_scenario *s)
{
	int i, n = 0;

	for (i = 0; i < s->nnames; i++)
		n += s->names[i].open && s->names[i].kind != MMSIM_MAP;
	return n;
}

static int create_name(struct parser *p, const struct mmsim_argspec *a,
		       struct word_arg *arg)
{
	struct mmsim_scenario *s = p->s;
	struct mmsim_name *name, *names;

	name = find_name(s, arg->word, a->name_kind);
	if (name && name->open)
		return parse_error(p, "%s '%s' already exists (line %d): "
				   "expected a new name, or close it first",
				   kind_names[a->name_kind], arg->word,
				   name->line);
	if (a->name_kind != MMSIM_MAP && open_descriptors(s) >= MMSIM_MAX_OPEN)
		return parse_error(p,
				   "more than %d files and userfaultfds open "
				   "at once: expected a close first",
				   MMSIM_MAX_OPEN);
	if (!name) {
		names = realloc(s->names, (s->nnames + 1) * sizeof(*names));
		if (!names)
			return parse_error(p, "out of memory");
		s->names = names;
		name = &s->names[s->nnames++];
		name->name = strdup(arg->word);
		name->kind = a->name_kind;
		name->line = p->lineno;
		if (!name->name)
			return parse_error(p, "out of memory");
	}
	name->open = 1;
	arg->slot = name - s->names;
	return 0;
}

static int choice_index(const char *choices, const char *w)
{
	size_t len = strlen(w);
	const char *c = choices;
	int i;

	for (i = 0; ; i++) {
		if (!strncmp(c, w, len) && (c[len] == '|' || c[len] == '\0'))
			return i;
		c = strchr(c, '|');
		if (!c)
			return -1;
		c++;
	}
}

static const char *choice_list(const char *choices, char *buf, size_t n)
{
	size_t len = 0;

	for (; *choices && len + 4 < n; choices++) {
		if (*choices == '|') {
			strcpy(buf + len, " or ");
			len += 4;
		} else {
			buf[len++] = *choices;
		}
	}
	buf[len] = '\0';
	return buf;
}

static void flag_list(const struct mmsim_flag *set, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (; set->name && len < n; set++)
		len += snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
				set->name);
}

static int parse_arg(struct parser *p, const struct mmsim_argspec *a,
		     char *w, struct word_arg *arg)
{
	const char *bad;
	char list[160];

	arg->word = w;
	switch (a->kind) {
	case MMSIM_A_NAME:
		if (!valid_word(w, ""))
			return parse_error(p, "bad %s name '%s': expected "
					   "letters, digits and _",
					   kind_names[a->name_kind], w);
		return a->creates ? 0 : use_name(p, a, w, arg);
	case MMSIM_A_NUM:
		if (mmsim_number(w, &arg->v))
			return parse_error(p, "bad number '%s' for %s: "
					   "expected decimal or 0x hex, "
					   "optionally followed by k (x1024) "
					   "or p (x4096)",
					   w, a->text);
		return 0;
	case MMSIM_A_BYTE:
		if (mmsim_number(w, &arg->v) || arg->v < 0 || arg->v > 255)
			return parse_error(p, "bad byte '%s': "
					   "expected a number "
					   "from 0 to 255 (0x00 to 0xff)", w);
		return 0;
	case MMSIM_A_FLAGS:
		if (!mmsim_flags(a->flags, w, &arg->v, &bad))
			return 0;
		flag_list(a->flags, list, sizeof(list));
		return parse_error(p, "unknown flag '%s' in %s '%s': "
				   "expected 0 or flags of %s joined by |",
				   bad, a->text, w, list);
	case MMSIM_A_WORD:
		if (!valid_word(w, "-."))
			return parse_error(p, "bad %s '%s': "
					   "expected letters, digits, _, - "
					   "and .",
					   a->text, w);
		return 0;
	case MMSIM_A_CHOICE:
		arg->v = choice_index(a->text, w);
		if (arg->v < 0)
			return parse_error(p, "'%s' is not allowed here: "
					   "expected %s", w,
					   choice_list(a->text, list,
						       sizeof(list)));
		return 0;
	case MMSIM_A_OPTION:
		break;
	}
	return parse_error(p, "internal error: bad argument kind");
}

static int parse_option(struct parser *p, const struct mmsim_op *op,
			struct word_arg *arg, const char *w)
{
	char usage[160];
	int i;

	for (i = op->nreq; i < op->nspec; i++) {
		if (strcmp(op->spec[i].text, w))
			continue;
		if (arg[i].v)
			return parse_error(p, "'%s' given twice: "
					   "expected it at most once", w);
		arg[i].v = 1;
		arg[i].word = op->spec[i].text;
		return 0;
	}
	mmsim_usage_of(op, usage, sizeof(usage));
	return parse_error(p, "unexpected '%s': expected '%s'", w, usage);
}

static void *arg_field(struct mmsim_args *a, const struct mmsim_argspec *spec)
{
	return (char *)a + spec->field;
}

static void decode_args(const struct mmsim_op *op, const struct word_arg *arg,
			struct mmsim_args *a)
{
	int i;

	*a = (struct mmsim_args){ .f = -1, .g = -1, .m = -1, .u = -1 };
	for (i = 0; i < op->nspec; i++) {
		void *field = arg_field(a, &op->spec[i]);

		switch (op->spec[i].kind) {
		case MMSIM_A_NAME:
			*(int *)field = arg[i].slot;
			break;
		case MMSIM_A_NUM:
			*(long long *)field = arg[i].v;
			break;
		case MMSIM_A_FLAGS:
			*(unsigned long long *)field = arg[i].v;
			break;
		case MMSIM_A_WORD:
			*(const char **)field = arg[i].word;
			break;
		case MMSIM_A_BYTE:
		case MMSIM_A_CHOICE:
		case MMSIM_A_OPTION:
			*(int *)field = arg[i].v;
			break;
		}
	}
}

static int keep_words(const struct mmsim_op *op, struct mmsim_args *a)
{
	int i, ret = 0;

	for (i = 0; i < op->nspec; i++) {
		const char **field = arg_field(a, &op->spec[i]);

		if (op->spec[i].kind != MMSIM_A_WORD)
			continue;
		*field = strdup(*field);
		if (!*field)
			ret = -1;
	}
	return ret;
}

static void free_words(const struct mmsim_op *op, struct mmsim_args *a)
{
	int i;

	for (i = 0; i < op->nspec; i++) {
		if (op->spec[i].kind == MMSIM_A_WORD)
			free(*(char **)arg_field(a, &op->spec[i]));
	}
}

static int parse_line(struct parser *p, char *buf)
{
	struct mmsim_scenario *s = p->s;
	char *words[MMSIM_MAX_ARGS + 2], *expect[2], *arrow, *hash;
	const struct mmsim_op *op;
	struct mmsim_line line = { .lineno = p->lineno }, *lines;
	struct word_arg arg[MMSIM_MAX_ARGS] = { { 0 } };
	char usage[160];
	int n, nexp = 0, i;

	buf[strcspn(buf, "\r\n")] = '\0';
	hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	arrow = strstr(buf, "=>");
	if (arrow) {
		*arrow = '\0';
		nexp = split_words(arrow + 2, expect, 1);
	}
	n = split_words(buf, words, MMSIM_MAX_ARGS + 1);
	if (!n)
		return arrow ? parse_error(p, "a result without an operation: "
					   "expected OP ARG... => RESULT") : 0;

	op = mmsim_op_find(words[0]);
	if (!op) {
		char known[1024];
		size_t len = 0;

		for (op = mmsim_ops; op->name && len < sizeof(known); op++)
			len += snprintf(known + len, sizeof(known) - len, "%s%s",
					len ? ", " : "", op->name);
		return parse_error(p, "unknown operation '%s': expected one of %s",
				   words[0], known);
	}
	line.op = op;
	mmsim_usage_of(op, usage, sizeof(usage));
	if (n - 1 < op->nreq || n - 1 > op->nspec)
		return parse_error(p, "wrong number of arguments to %s: expected '%s'",
				   op->name, usage);
	for (i = 0; i < op->nreq; i++) {
		if (parse_arg(p, &op->spec[i], words[i + 1], &arg[i]))
			return -1;
	}
	for (i = op->nreq + 1; i < n; i++) {
		if (parse_option(p, op, arg, words[i]))
			return -1;
	}
	for (i = 0; i < op->nreq; i++) {
		const struct mmsim_argspec *a = &op->spec[i];

		if (a->creates && create_name(p, a, &arg[i]))
			return -1;
		if (a->ends)
			s->names[arg[i].slot].open = 0;
	}
	decode_args(op, arg, &line.a);
	if (op->check) {
		char msg[512];

		if (op->check(&line, msg, sizeof(msg)))
			return parse_error(p, "%s", msg);
	}
	if (arrow) {
		if (nexp != 1)
			return parse_error(p, "%s after =>: expected one result, %s",
					   nexp ? "more than one word" : "nothing",
					   mmsim_result_forms(op));
		if (mmsim_parse_result(op, expect[0], &line.expect))
			return parse_error(p, "bad result '%s' for %s: expected %s",
					   expect[0], op->name, mmsim_result_forms(op));
		if (line.expect.type == MMSIM_R_ERRNO && line.expect.val == ENOSYS)
			return parse_error(p, "ENOSYS is not a result (a backend "
					   "without the call skips the scenario): "
					   "expected %s",
					   mmsim_result_forms(op));
		line.has_expect = 1;
	} else if (op->flags & MMSIM_OP_ASSERT) {
		line.expect.type = MMSIM_R_NUM;
		line.expect.val = 0;
		line.has_expect = 1;
	}

	line.text = join_words(words, n);
	lines = realloc(s->lines, (s->nlines + 1) * sizeof(*lines));
	if (keep_words(op, &line.a) || !lines || !line.text) {
		free_words(op, &line.a);
		free(line.text);
		if (lines)
			s->lines = lines;
		return parse_error(p, "out of memory");
	}
	s->lines = lines;
	s->lines[s->nlines++] = line;
	if ((op->flags & MMSIM_OP_MODEL_ONLY) && !s->model_only)
		s->model_only = p->lineno;
	return 0;
}

/* One line into @buf (NUL-terminated, newline dropped): 1, 0 at EOF, -1. */
static int read_line(struct parser *p, FILE *f, char *buf, size_t *len)
{
	int c;

	*len = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (*len == MMSIM_MAX_LINE) {
			p->lineno++;
			return parse_error(p, "line longer than %d bytes: "
					   "expected a text file",
					   MMSIM_MAX_LINE);
		}
		buf[(*len)++] = c;
	}
	buf[*len] = '\0';
	if (ferror(f)) {
		p->lineno++;
		return parse_error(p, "cannot read: %s", strerror(errno));
	}
	if (c == EOF && !*len)
		return 0;
	p->lineno++;
	if (memchr(buf, '\0', *len))
		return parse_error(p, "NUL byte at column %zu: expected text",
				   strlen(buf) + 1);
	return 1;
}

int mmsim_parse(const char *file, struct mmsim_scenario *s, FILE *err)
{
	struct parser p = { .s = s, .err = err };
	char *buf = malloc(MMSIM_MAX_LINE + 1);
	size_t len;
	FILE *f;
	int r;

	memset(s, 0, sizeof(*s));
	s->file = file;
	f = fopen(file, "r");
	if (!f || !buf) {
		fprintf(err, "%s: error: cannot open: %s\n", file,
			strerror(errno));
		s->errors = 1;
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	errno = 0;
	while ((r = read_line(&p, f, buf, &len))) {
		if (r > 0)
			parse_line(&p, buf);
		else if (len == MMSIM_MAX_LINE || ferror(f))
			break;
	}
	if (s->errors > MMSIM_MAX_ERRORS)
		fprintf(err, "%s: error: %d errors, only the first %d shown\n",
			file, s->errors, MMSIM_MAX_ERRORS);
	free(buf);
	fclose(f);
	return s->errors ? -1 : 0;
}

void mmsim_scenario_free(struct mmsim_scenario *s)
{
	int i;

	for (i = 0; i < s->nlines; i++) {
		free_words(s->lines[i].op, &s->lines[i].a);
		free(s->lines[i].text);
	}
	for (i = 0; i < s->nnames; i++)
		free(s->names[i].name);
	free(s->lines);
	free(s->names);
	memset(s, 0, sizeof(*s));
}
