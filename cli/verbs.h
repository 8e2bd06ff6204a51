/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The command table machinery of dutyctl: each verb declares its synopsis, help, argument counts
 * and flags, and that one declaration drives parsing, argument checking and --help. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VERB_OPTIONS_MAX 16u

typedef struct VerbOption {
        const char *name;       /* long name, without "--" */
        char short_name;        /* or '\0' */
        const char *value_name; /* e.g. "ROLE"; NULL for a flag that takes no value */
        const char *help;
} VerbOption;

typedef struct Verb Verb;

/* The result of parsing: positional arguments and option values. */
typedef struct VerbArgs {
        const VerbOption *options;
        size_t n_options;
        VerbOption *owned_options;  /* the verb's options merged with extra ones, if any */
        /* Per option, in table order: its value; "" for a given flag without value; NULL if absent. */
        const char *values[VERB_OPTIONS_MAX];
        bool help;              /* -h or --help was given */
        char **args;            /* positional arguments, borrowed from argv, NULL-terminated */
        size_t n_args;
} VerbArgs;

typedef int (*VerbFn)(const VerbArgs *args, void *userdata);

struct Verb {
        const char *name;       /* one word, or words separated by single spaces ("roster generate") */
        const char *synopsis;   /* arguments and flags after the verb, e.g. "[--role ROLE]" */
        const char *help;       /* one line */
        size_t min_args;
        size_t max_args;
        const VerbOption *options;
        size_t n_options;
        VerbFn run;
};

/* Parses options from an option table, accepting "--name value", "--name=value", "-x value" and
 * "-xvalue"; "--" ends options; -h/--help is always understood. With stop_at_argument, the first
 * positional argument and everything after it are left as positional arguments (global options
 * before a verb); otherwise options and arguments may be mixed. On a usage error returns -EINVAL
 * and *ret_error says what is wrong (owned by the caller). */
int verb_options_parse(const VerbOption *options, size_t n_options, bool stop_at_argument,
                       int argc, char **argv, VerbArgs *ret, char **ret_error);
/* Parses argv (argv[0] being the verb) against the verb's flags and checks the argument count,
 * unless --help was given. */
int verb_parse(const Verb *verb, int argc, char **argv, VerbArgs *ret, char **ret_error);
/* The same, also accepting the `extra` options (e.g. global ones given after the verb); the verb's
 * own options win over an extra one of the same name. */
int verb_parse_full(const Verb *verb, const VerbOption *extra, size_t n_extra, int argc, char **argv,
                    VerbArgs *ret, char **ret_error);
void verb_args_done(VerbArgs *a);

/* The value of an option by long name: NULL if absent. */
const char *verb_args_get(const VerbArgs *a, const char *name);
static inline bool verb_args_has(const VerbArgs *a, const char *name) {
        return verb_args_get(a, name) != NULL;
}

const Verb *verb_find(const Verb *verbs, size_t n_verbs, const char *name);
/* The verb whose words begin argv, the one with most words if several do; *ret_words (may be NULL)
 * gets how many of argv its name takes. NULL if none. */
const Verb *verb_find_words(const Verb *verbs, size_t n_verbs, size_t argc, char *const *argv, size_t *ret_words);
/* Whether `word` is the first word of a verb of several words (e.g. "roster"). */
bool verbs_have_group(const Verb *verbs, size_t n_verbs, const char *word);
/* Checks a table is usable: names, synopses and help present and unique, counts consistent,
 * options within limits. Returns -EINVAL with *ret_error naming the first problem. */
int verbs_verify(const Verb *verbs, size_t n_verbs, char **ret_error);

/* Help output; -ENOMEM or -EIO on failure. */
int verb_options_print_help(FILE *f, const VerbOption *options, size_t n_options);
/* One line per verb: name, synopsis, help. */
int verbs_print_list(FILE *f, const Verb *verbs, size_t n_verbs);
int verb_print_help(FILE *f, const char *program, const Verb *verb);
/* The verbs of a family ("leave" for "leave request", "leave approve", …) with their synopsis and
 * help, as `dutyctl leave --help` prints them; -ENOENT when no verb has that first word. */
int verbs_print_group_help(FILE *f, const char *program, const Verb *verbs, size_t n_verbs, const char *group);
