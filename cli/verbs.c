/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"
#include "verbs.h"

/* Verbs whose name and synopsis are wider than this, in terminal cells, get their help text on the
 * next line of the verb list. */
#define VERBS_LIST_COLUMN_MAX 48u

/* The value recorded for a flag that takes none, so that "given" and "absent" differ. */
static const char flag_given[] = "";

_printf_(2, 3)
static int usage_error(char **ret_error, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        if (!ret_error)
                return -EINVAL;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        *ret_error = s;
        return -EINVAL;
}

static const VerbOption *option_find_long(const VerbOption *options, size_t n, const char *name, size_t len) {
        for (size_t i = 0; i < n; i++)
                if (strlen(options[i].name) == len && strneq(options[i].name, name, len))
                        return options + i;
        return NULL;
}

static const VerbOption *option_find_short(const VerbOption *options, size_t n, char c) {
        for (size_t i = 0; i < n; i++)
                if (options[i].short_name != '\0' && options[i].short_name == c)
                        return options + i;
        return NULL;
}

int verb_options_parse(const VerbOption *options, size_t n_options, bool stop_at_argument,
                       int argc, char **argv, VerbArgs *ret, char **ret_error) {
        VerbArgs a = {
                .options = options,
                .n_options = n_options,
        };
        _cleanup_free_ char **args = NULL;
        bool only_arguments = false;

        if (argc < 0 || (argc > 0 && !argv) || !ret || (n_options > 0 && !options))
                return -EINVAL;
        if (n_options > VERB_OPTIONS_MAX)
                return -E2BIG;

        args = calloc((size_t) argc + 1, sizeof(char *));
        if (!args)
                return -ENOMEM;

        for (int i = 0; i < argc; i++) {
                char *arg = argv[i];
                const VerbOption *o;
                const char *value = NULL;

                /* "-2" is a number (who -2, roster show --week -1): no option is a digit. */
                if (only_arguments || arg[0] != '-' || streq(arg, "-") || isdigit((unsigned char) arg[1])) {
                        args[a.n_args++] = arg;
                        if (stop_at_argument)
                                only_arguments = true;
                        continue;
                }

                if (streq(arg, "--")) {
                        only_arguments = true;
                        continue;
                }

                if (arg[1] == '-') {
                        const char *name = arg + 2, *eq = strchr(name, '=');
                        size_t len = eq ? (size_t) (eq - name) : strlen(name);

                        if (len == strlen("help") && strneq(name, "help", len) &&
                            !option_find_long(options, n_options, name, len)) {
                                if (eq)
                                        return usage_error(ret_error, _("option '--help' takes no value"));
                                a.help = true;
                                continue;
                        }

                        o = option_find_long(options, n_options, name, len);
                        if (!o)
                                return usage_error(ret_error, _("unknown option '--%.*s'"), (int) len, name);

                        if (!o->value_name) {
                                if (eq)
                                        return usage_error(ret_error, _("option '--%s' takes no value"), o->name);
                                value = flag_given;
                        } else if (eq)
                                value = eq + 1;
                        else if (i + 1 < argc)
                                value = argv[++i];
                        else
                                return usage_error(ret_error, _("option '--%s' needs a value %s"),
                                                   o->name, o->value_name);
                } else {
                        char c = arg[1];

                        o = option_find_short(options, n_options, c);
                        if (!o && c == 'h') {
                                if (arg[2] != '\0')
                                        return usage_error(ret_error, _("unknown option '%s'"), arg);
                                a.help = true;
                                continue;
                        }
                        if (!o)
                                return usage_error(ret_error, _("unknown option '-%c'"), c);

                        if (!o->value_name) {
                                /* Bundled short flags are not supported: say so plainly. */
                                if (arg[2] != '\0')
                                        return usage_error(ret_error, _("unknown option '%s'"), arg);
                                value = flag_given;
                        } else if (arg[2] != '\0')
                                value = arg + 2;
                        else if (i + 1 < argc)
                                value = argv[++i];
                        else
                                return usage_error(ret_error, _("option '-%c' needs a value %s"),
                                                   c, o->value_name);
                }

                a.values[o - options] = value;
        }

        a.args = TAKE_PTR(args);
        *ret = a;
        return 0;
}

/* The verb's options followed by those extra ones whose names it does not use. */
static int options_merge(const Verb *verb, const VerbOption *extra, size_t n_extra,
                         VerbOption **ret, size_t *ret_n) {
        VerbOption *merged;
        size_t n = verb->n_options;

        if (verb->n_options + n_extra > VERB_OPTIONS_MAX)
                return -E2BIG;
        merged = calloc(verb->n_options + n_extra + 1, sizeof(VerbOption));
        if (!merged)
                return -ENOMEM;
        for (size_t i = 0; i < verb->n_options; i++)
                merged[i] = verb->options[i];
        for (size_t i = 0; i < n_extra; i++) {
                if (option_find_long(verb->options, verb->n_options, extra[i].name, strlen(extra[i].name)) ||
                    (extra[i].short_name != '\0' &&
                     option_find_short(verb->options, verb->n_options, extra[i].short_name)))
                        continue;
                merged[n++] = extra[i];
        }

        *ret = merged;
        *ret_n = n;
        return 0;
}

int verb_parse(const Verb *verb, int argc, char **argv, VerbArgs *ret, char **ret_error) {
        return verb_parse_full(verb, NULL, 0, argc, argv, ret, ret_error);
}

int verb_parse_full(const Verb *verb, const VerbOption *extra, size_t n_extra, int argc, char **argv,
                    VerbArgs *ret, char **ret_error) {
        _cleanup_free_ char *error = NULL;
        _cleanup_free_ VerbOption *merged = NULL;
        const VerbOption *options;
        size_t n, n_options;
        VerbArgs a;
        int r;

        if (!verb || argc < 1 || !argv || !ret || (n_extra > 0 && !extra))
                return -EINVAL;

        options = verb->options;
        n_options = verb->n_options;
        if (n_extra > 0) {
                r = options_merge(verb, extra, n_extra, &merged, &n_options);
                if (r < 0)
                        return r;
                options = merged;
        }

        r = verb_options_parse(options, n_options, false, argc - 1, argv + 1, &a, &error);
        if (r == -EINVAL && error)
                return usage_error(ret_error, "%s: %s", verb->name, error);
        if (r < 0)
                return r;
        a.owned_options = TAKE_PTR(merged);
        a.verb = verb;

        n = a.n_args;
        if (!a.help) {
                if (n < verb->min_args) {
                        verb_args_done(&a);
                        return usage_error(ret_error, _("%s: missing argument (needs %zu, got %zu)"),
                                           verb->name, verb->min_args, n);
                }
                if (n > verb->max_args) {
                        r = usage_error(ret_error, _("%s: unexpected argument '%s' (takes at most %zu)"),
                                        verb->name, a.args[verb->max_args], verb->max_args);
                        verb_args_done(&a);
                        return r;
                }
        }

        *ret = a;
        return 0;
}

void verb_args_done(VerbArgs *a) {
        if (!a)
                return;
        free(a->args);
        a->args = NULL;
        a->n_args = 0;
        free(a->owned_options);
        a->owned_options = NULL;
        a->options = NULL;
        a->n_options = 0;
}

const char *verb_args_get(const VerbArgs *a, const char *name) {
        if (!a || !name)
                return NULL;

        for (size_t i = 0; i < a->n_options; i++)
                if (streq(a->options[i].name, name))
                        return a->values[i];
        return NULL;
}

const Verb *verb_find(const Verb *verbs, size_t n_verbs, const char *name) {
        if (!verbs || !name)
                return NULL;

        for (size_t i = 0; i < n_verbs; i++)
                if (streq(verbs[i].name, name))
                        return verbs + i;
        return NULL;
}

/* Number of words of name if its words begin argv, else 0. */
static size_t verb_words_match(const char *name, size_t argc, char *const *argv) {
        size_t words = 0;

        for (const char *p = name; *p; words++) {
                size_t len = strcspn(p, " ");

                if (words >= argc || !argv[words] || strlen(argv[words]) != len || !strneq(argv[words], p, len))
                        return 0;
                p += len;
                if (*p == ' ')
                        p++;
        }
        return words;
}

const Verb *verb_find_words(const Verb *verbs, size_t n_verbs, size_t argc, char *const *argv, size_t *ret_words) {
        const Verb *best = NULL;
        size_t best_words = 0;

        if (!verbs || !argv)
                return NULL;

        for (size_t i = 0; i < n_verbs; i++) {
                size_t w = verb_words_match(verbs[i].name, argc, argv);

                if (w > best_words) {
                        best = verbs + i;
                        best_words = w;
                }
        }
        if (best && ret_words)
                *ret_words = best_words;
        return best;
}

bool verbs_have_group(const Verb *verbs, size_t n_verbs, const char *word) {
        size_t len;

        if (!verbs || isempty(word))
                return false;
        len = strlen(word);
        for (size_t i = 0; i < n_verbs; i++)
                if (strneq(verbs[i].name, word, len) && verbs[i].name[len] == ' ')
                        return true;
        return false;
}

/* Words of lowercase letters, digits and dashes, separated by single spaces. */
static bool verb_name_is_valid(const char *name) {
        if (isempty(name) || name[0] == '-' || name[0] == ' ')
                return false;
        for (const char *p = name; *p; p++) {
                if (*p == ' ' && (p[1] == ' ' || p[1] == '\0' || p[1] == '-'))
                        return false;
                if (*p != ' ' && *p != '-' && !(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9'))
                        return false;
        }
        return true;
}

int verbs_verify(const Verb *verbs, size_t n_verbs, char **ret_error) {
        if (!verbs && n_verbs > 0)
                return -EINVAL;

        for (size_t i = 0; i < n_verbs; i++) {
                const Verb *v = verbs + i;

                if (!verb_name_is_valid(v->name))
                        return usage_error(ret_error, "verb %zu has no valid name", i);
                if (!v->synopsis)
                        return usage_error(ret_error, "verb '%s' has no synopsis", v->name);
                if (isempty(v->help))
                        return usage_error(ret_error, "verb '%s' has no help text", v->name);
                if (!v->run)
                        return usage_error(ret_error, "verb '%s' has no handler", v->name);
                if (v->min_args > v->max_args)
                        return usage_error(ret_error, "verb '%s' needs more arguments than it takes", v->name);
                if (v->n_options > VERB_OPTIONS_MAX || (v->n_options > 0 && !v->options))
                        return usage_error(ret_error, "verb '%s' has an invalid option table", v->name);
                if (verb_find(verbs, i, v->name))
                        return usage_error(ret_error, "verb '%s' is listed twice", v->name);

                for (size_t j = 0; j < v->n_options; j++) {
                        const VerbOption *o = v->options + j;

                        if (isempty(o->name) || o->name[0] == '-' || strchr(o->name, '='))
                                return usage_error(ret_error, "verb '%s': option %zu has no valid name", v->name, j);
                        if (streq(o->name, "help") || o->short_name == 'h')
                                return usage_error(ret_error, "verb '%s': option '%s' shadows --help", v->name, o->name);
                        if (isempty(o->help))
                                return usage_error(ret_error, "verb '%s': option '%s' has no help text", v->name, o->name);
                        if (option_find_long(v->options, j, o->name, strlen(o->name)) ||
                            (o->short_name != '\0' && option_find_short(v->options, j, o->short_name)))
                                return usage_error(ret_error, "verb '%s': option '%s' is listed twice", v->name, o->name);
                }

                if (v->n_params > 0 && (!v->params || !v->method))
                        return usage_error(ret_error, "verb '%s' has parameters but no method", v->name);
                for (size_t j = 0; j < v->n_params; j++) {
                        const VerbParam *p = v->params + j;

                        if (isempty(p->key) || p->type < 0 || p->type >= _VERB_PARAM_TYPE_MAX)
                                return usage_error(ret_error, "verb '%s': parameter %zu is invalid", v->name, j);
                        /* A parameter drawn from an option the verb does not have would never be sent. */
                        if (p->option ? !option_find_long(v->options, v->n_options, p->option, strlen(p->option))
                                      : v->max_args == 0)
                                return usage_error(ret_error, "verb '%s': parameter '%s' has no source", v->name, p->key);
                }
        }
        return 0;
}

int verb_families_join(const VerbFamily *const *families, size_t n_families, Verb **ret, size_t *ret_n) {
        _cleanup_free_ Verb *verbs = NULL;
        size_t n = 0;

        if ((n_families > 0 && !families) || !ret || !ret_n)
                return -EINVAL;

        for (size_t i = 0; i < n_families; i++)
                n += families[i]->n_verbs;
        verbs = calloc(n > 0 ? n : 1, sizeof(Verb));
        if (!verbs)
                return -ENOMEM;

        n = 0;
        for (size_t i = 0; i < n_families; i++)
                for (size_t j = 0; j < families[i]->n_verbs; j++)
                        verbs[n++] = families[i]->verbs[j];

        *ret = TAKE_PTR(verbs);
        *ret_n = n;
        return 0;
}

/* The tables hold the English texts, marked with N_(); they are translated when printed. */
static const char *translate(const char *s) {
        /* gettext("") is the catalog's header, not an empty string. */
        return isempty(s) ? "" : _(s);
}

int verb_options_print_help(FILE *f, const VerbOption *options, size_t n_options) {
        _cleanup_(table_freep) Table *t = NULL;
        int r;

        r = table_new(2, NULL, &t);
        if (r < 0)
                return r;

        for (size_t i = 0; i <= n_options; i++) {
                _cleanup_free_ char *left = NULL;
                const VerbOption *o = i < n_options ? options + i : NULL;

                /* --help is always understood; list it last. */
                if (o && o->short_name)
                        r = asprintf(&left, "  -%c, --%s%s%s", o->short_name,
                                     o->name, o->value_name ? " " : "", strempty(o->value_name));
                else if (o)
                        r = asprintf(&left, "      --%s%s%s",
                                     o->name, o->value_name ? " " : "", strempty(o->value_name));
                else
                        r = asprintf(&left, "  -h, --help");
                if (r < 0)
                        return -ENOMEM;

                r = table_add_row(t, (const char *const[]) { left, o ? translate(o->help) : _("show this help") });
                if (r < 0)
                        return r;
        }

        return table_print(t, f);
}

/* The left column of a verb's line in the list, "  name synopsis", and its width in cells. */
static int verb_list_left(const Verb *v, char **ret, size_t *ret_width) {
        char *left;

        if (asprintf(&left, "  %s%s%s", v->name, isempty(v->synopsis) ? "" : " ", strempty(v->synopsis)) < 0)
                return -ENOMEM;
        *ret_width = utf8_width(left);
        *ret = left;
        return 0;
}

int verbs_print_list(FILE *f, const Verb *verbs, size_t n_verbs) {
        size_t column = 0;

        /* The help column starts after the widest short synopsis; a longer one gets its help on
         * the next line rather than pushing every help text off the screen. */
        for (size_t i = 0; i < n_verbs; i++) {
                _cleanup_free_ char *left = NULL;
                size_t w;

                if (verb_list_left(verbs + i, &left, &w) < 0)
                        return -ENOMEM;
                if (w <= VERBS_LIST_COLUMN_MAX && w > column)
                        column = w;
        }

        for (size_t i = 0; i < n_verbs; i++) {
                _cleanup_free_ char *left = NULL;
                size_t w;

                if (verb_list_left(verbs + i, &left, &w) < 0)
                        return -ENOMEM;
                if (w <= column)
                        fprintf(f, "%s%*s  %s\n", left, (int) (column - w), "", translate(verbs[i].help));
                else
                        fprintf(f, "%s\n%*s  %s\n", left, (int) column, "", translate(verbs[i].help));
        }

        return ferror(f) ? -EIO : 0;
}

int verb_print_help(FILE *f, const char *program, const Verb *verb) {
        if (!f || !verb)
                return -EINVAL;

        fprintf(f, _("Usage: %s [OPTIONS] %s%s%s\n\n%s\n\n"), strempty(program), verb->name,
                isempty(verb->synopsis) ? "" : " ", strempty(verb->synopsis), translate(verb->help));
        fputs(_("Options:\n"), f);
        return verb_options_print_help(f, verb->options, verb->n_options);
}

int verbs_print_group_help(FILE *f, const char *program, const Verb *verbs, size_t n_verbs, const char *group) {
        _cleanup_free_ Verb *members = NULL;
        size_t n = 0, len;
        int r;

        if (!f || !verbs || isempty(group))
                return -EINVAL;

        members = calloc(n_verbs, sizeof(Verb));
        if (!members)
                return -ENOMEM;
        len = strlen(group);
        for (size_t i = 0; i < n_verbs; i++)
                if (strneq(verbs[i].name, group, len) && verbs[i].name[len] == ' ')
                        members[n++] = verbs[i];
        if (n == 0)
                return -ENOENT;

        fprintf(f, _("Usage: %s [OPTIONS] %s VERB [ARGS…]\n\nVerbs:\n"), strempty(program), group);
        r = verbs_print_list(f, members, n);
        if (r < 0)
                return r;
        fprintf(f, _("\nRun '%s %s VERB --help' for the options of one.\n"), strempty(program), group);
        return ferror(f) ? -EIO : 0;
}
