/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The command table machinery of dutyctl: each verb declares its synopsis, help, argument counts
 * and flags, and that one declaration drives parsing, argument checking and --help. A row also
 * names the Varlink method the verb calls, how its arguments become the method's parameters and
 * how the reply is printed (as knotc's cmd_table and iwd's command tables do), so that verbs of the
 * same shape share one handler. Each verb family (verbs-*.c) exports one table, a VerbFamily. */

#include <errno.h>
#include <jansson.h>
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

/* How an argument or option becomes a parameter of the verb's method. */
typedef enum VerbParamType {
        VERB_PARAM_STRING,      /* the text as given; left out when absent */
        VERB_PARAM_FLAG,        /* true when the flag is given; left out otherwise */
        VERB_PARAM_OVERRIDE,    /* a flag deciding over the approver: it needs a non-empty --reason */
        VERB_PARAM_LEAVE_ID,    /* a leave number, a positive integer */
        VERB_PARAM_SWAP_ID,     /* a swap number, a positive integer */
        VERB_PARAM_SENSITIVE_ID, /* a sensitive period's number (added at run time), a positive integer */
        VERB_PARAM_LEAVE_TIME,  /* a time as leave takes it, its form checked before anything is sent */
        VERB_PARAM_NOTIFY_ID,   /* a notification number, a positive integer */
        _VERB_PARAM_TYPE_MAX,
        _VERB_PARAM_TYPE_INVALID = -EINVAL,
} VerbParamType;

typedef struct VerbParam {
        const char *key;        /* the method's parameter */
        const char *option;     /* the option's long name; NULL for the first positional argument */
        VerbParamType type;
} VerbParam;

/* Prints a reply as text on f: 0, or a negative errno. userdata is the verb's (dutyctl's Context),
 * for a printer that asks dutyd more (a swap names who may approve it). */
typedef int (*VerbPrint)(FILE *f, json_t *reply, void *userdata);

/* The result of parsing: positional arguments and option values. */
typedef struct VerbArgs {
        const Verb *verb;       /* the row parsed against; NULL for the global options */
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
        VerbFn run;             /* verb_call() where the argument shape says everything */
        const char *method;     /* the Varlink method called; NULL for a verb calling several */
        /* The argument shape: the method's parameters from the first argument and the options. A
         * family's own handler checks what the shape cannot say, then builds from it too. */
        const VerbParam *params;
        size_t n_params;
        VerbPrint print;        /* how the method's reply is printed as text */
};

/* One verb family's table, as a verbs-*.c file exports it. */
typedef struct VerbFamily {
        const Verb *verbs;
        size_t n_verbs;
} VerbFamily;

/* The rows of the families, in order, as one table (freed by the caller). */
int verb_families_join(const VerbFamily *const *families, size_t n_families, Verb **ret, size_t *ret_n);

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
