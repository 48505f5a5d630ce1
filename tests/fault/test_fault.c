/* test_fault: every cell of a representative session run with its Nth
 * allocation failing, for every N (or every Nth of a stride on cells with
 * very many allocations), until a run completes with no failure injected.
 *
 *   test_fault [CELL-NAME...]     (default: every cell)
 *   FAULT_RUNS=k   at most k runs per cell (default 400; 0 = every N)
 *   FAULT_SECONDS  the alarm that stops one run that hangs (default 30)
 *   FAULT_PERSIST=1  every allocation from the Nth on fails, not only the
 *                  Nth: the error paths must not need memory either
 *
 * Run it in a folder it may write to: the save, load and csv cells write
 * and read fault_net.safetensors and fault_data.csv there.
 *
 * One interpreter runs the cells in order, each cleanly after it was
 * tested, so each cell is tested on the state the ones before it left.
 * A cell is tested in a forked child per N (a snapshot of that state): it
 * arms the Nth allocation to fail, runs the cell, and requires
 *   - the reply to be a clean success, or a clean error: ename
 *     "MemoryError" (or the error the cell gives without a fault) with an
 *     evalue and a traceback list;
 *   - for the requests (expression, complete, inspect, is_complete): no
 *     answer (NULL, or is_complete's {"status": "unknown"}), a MemoryError
 *     (expression), or the very answer the request gives without a
 *     fault, not a silently wrong one;
 *   - the same cell run again with no fault to give what it gives without
 *     one (the failure left the interpreter usable);
 *   - no crash, no hang;
 *   - after the interpreter is freed, every block allocated freed (the
 *     wrappers of fault_alloc count them; no valgrind needed, and it works
 *     in the ASan build).
 * Every run that breaks one prints a line "FAIL cell N=..: what"; a crash
 * prints its backtrace (addr2line -e test_fault ADDR resolves a static
 * function). Exits 1 when any run failed. */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fault_alloc.h"
#include "lang.h"
#include "registry.h"

/* What a cell asks of the interpreter: execute, or one of the requests
 * the protocol answers with the interpreter's help. */
typedef enum { RUN, EXPRESSION, COMPLETE, INSPECT, IS_COMPLETE } ask;

typedef struct cell {
    const char *name;
    const char *code;
    ask kind;           /* RUN when left out */
    int pos;            /* cursor of COMPLETE and INSPECT */
} cell;

static const cell cells[] = {
    {"datasets", "data = moons(n=60, noise=0.1, seed=1)\n"
                 "x = xor(n=40, seed=2)\nb = blobs(3, 2, n=45, seed=3)\n"
                 "c = circles(n=40, seed=4)\ns = spirals(n=40, seed=5)\n"
                 "i = iris\nw = wine", RUN, 0},
    {"split", "train, test = split(data, 0.75, stratify=true)", RUN, 0},
    {"standardize", "st, ss = standardize(train, test)", RUN, 0},
    {"net", "net = input(2) -> linear(6) -> relu -> linear(3) -> tanh"
            " -> linear(1) -> sigmoid", RUN, 0},
    {"fit", "fit net on st, epochs=2, batch=16, optimizer=adam(lr=0.01),"
            " validate=ss", RUN, 0},
    {"fit_draw", "n3 = linear(4) -> relu -> linear(3) -> softmax\n"
                 "fit n3 on b, epochs=2, verbose=false, draw=true,"
                 " boundary=true", RUN, 0},
    {"evaluate", "evaluate net on ss", RUN, 0},
    {"predict", "predict net [[0.1, 0.2], [0.9, -0.3]]\n"
                "predict n3 on b, limit=5", RUN, 0},
    {"trace", "trace net on [[0.1, 0.2]], target=[1]\n"
              "trace n3 on b, limit=3, apply=true", RUN, 0},
    {"fit_gradients", "fit n3 on b, epochs=2, verbose=false, gradients=true,"
                      " draw=true", RUN, 0},
    {"draw_gradients", "draw n3 on b, show=\"gradients\"", RUN, 0},
    {"summary", "summary net", RUN, 0},
    {"plot_data", "plot data, x=0, y=1", RUN, 0},
    {"plot_net", "plot net on st", RUN, 0},
    {"plot_curves", "plot [net, n3]", RUN, 0},
    {"draw", "draw net", RUN, 0},
    {"draw_on", "draw n3 on b", RUN, 0},
    {"help", "help", RUN, 0},
    {"help_fit", "help fit", RUN, 0},
    {"names", "names", RUN, 0},
    {"print", "print(\"a\", 1 + 2, [1, 2.5], net)\nk = [1, 2, 3]\nk", RUN, 0},
    {"save", "save net to \"fault_net.safetensors\"", RUN, 0},
    {"load", "n4 = load(\"fault_net.safetensors\")", RUN, 0},
    {"csv", "f = csv(\"fault_data.csv\", target=\"kind\")", RUN, 0},
    {"error", "y = undefined_name + 1", RUN, 0},
    {"syntax_error", "fit net on , epochs=", RUN, 0},
    {"expression", "net", EXPRESSION, 0},
    {"expression_error", "nothing_here", EXPRESSION, 0},
    {"complete", "fit net on st, ep", COMPLETE, 17},
    {"complete_name", "predict n", COMPLETE, 9},
    {"inspect", "fit", INSPECT, 2},
    {"inspect_name", "net", INSPECT, 2},
    {"is_complete", "fit net on (", IS_COMPLETE, 0},
};
#define N_CELLS (sizeof cells / sizeof cells[0])

/* ---- an interp_out that records nothing and allocates nothing ---- */

static void o_stream(void *ctx, const char *name, const char *text)
{
    (void)ctx, (void)name, (void)text;
}

static void o_display(void *ctx, json_t *data, json_t *metadata,
                      const char *display_id, int update)
{
    (void)ctx, (void)metadata, (void)display_id, (void)update;
    if (!json_is_object(data)) {
        static const char msg[] = "display without a data object\n";
        fwrite(msg, 1, sizeof msg - 1, stderr);
        abort();
    }
}

static void o_clear(void *ctx, int wait)
{
    (void)ctx, (void)wait;
}

static int o_interrupted(void *ctx)
{
    (void)ctx;
    return 0;
}

static char *o_input(void *ctx, const char *prompt, int password)
{
    (void)ctx, (void)prompt, (void)password;
    return NULL;
}

static const interp_out out = {
    NULL, o_stream, o_display, o_clear, o_interrupted, o_input
};

/* ---- one run ---- */

/* What a child reports, in memory shared with the parent. */
typedef struct report {
    int done;           /* the child reached its end */
    int triggered;      /* the fault was injected */
    long allocs;        /* allocations the faulted run made */
    int ok;             /* the faulted run's reply */
    char ename[64];     /* "" when ok; "(null)" when missing */
    char evalue[160];
    int shape;          /* 0, or the reply lacks evalue/traceback */
    unsigned long print;    /* a request's answer, hashed; 0: none */
    char answer[200];       /* its start */
    int again_ok;       /* the second run, without a fault */
    char again_ename[64];
    unsigned long again_print;
    long live;          /* blocks left after the interpreter was freed */
} report;

static report *shared;
static int persist;     /* FAULT_PERSIST */

static void crash_handler(int sig)
{
    void *frames[64];
    char line[96];
    int n = snprintf(line, sizeof line, "  signal %d (%s); backtrace:\n",
                     sig, strsignal(sig));
    if (n > 0)
        write(2, line, (size_t)n);
    backtrace_symbols_fd(frames, backtrace(frames, 64), 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void reply_free(interp_reply *r)
{
    json_decref(r->result);
    json_decref(r->payload);
    free(r->ename);
    free(r->evalue);
    json_decref(r->traceback);
    memset(r, 0, sizeof *r);
}

/* How a run ended. */
typedef struct outcome {
    int ok;
    char ename[64];     /* "" when ok; "(null)" when missing */
    char evalue[160];
    int shape;          /* an error reply lacks its evalue or traceback */
    json_t *answer;     /* a request's answer (taken), or NULL */
} outcome;

/* The name of "no answer": a request that returned NULL. */
static const char no_answer[] = "(no answer)";

/* Runs cell c and fills o. Allocates nothing itself but what the
 * interpreter does. */
static void run(interp *it, const cell *c, outcome *o)
{
    memset(o, 0, sizeof *o);
    if (c->kind == RUN) {
        interp_reply r;
        memset(&r, 0, sizeof r);
        it->execute(it->self, c->code, 0, &out, &r);
        o->ok = r.ok;
        /* interp.h: no ename and no evalue is a MemoryError that had
         * no memory left to say so. */
        int oom = !r.ok && !r.ename && !r.evalue;
        snprintf(o->ename, sizeof o->ename, "%s",
                 r.ok ? "" : oom ? "MemoryError" : r.ename ? r.ename
                 : "(null)");
        snprintf(o->evalue, sizeof o->evalue, "%s",
                 r.evalue ? r.evalue : "(null)");
        o->shape = !r.ok && !oom
                   && (!r.evalue || !json_is_array(r.traceback));
        reply_free(&r);
        return;
    }
    json_t *a = c->kind == EXPRESSION ? it->expression(it->self, c->code)
              : c->kind == COMPLETE ? it->complete(it->self, c->code, c->pos)
              : c->kind == INSPECT ? it->inspect(it->self, c->code, c->pos, 0)
              : it->is_complete(it->self, c->code);
    const char *status = json_string_value(json_object_get(a, "status"));
    if (c->kind == IS_COMPLETE && status && strcmp(status, "unknown") == 0) {
        json_decref(a);   /* the spec's "cannot tell": no answer */
        a = NULL;
        status = NULL;
    }
    o->answer = a;
    const char *ename = json_string_value(json_object_get(a, "ename"));
    const char *evalue = json_string_value(json_object_get(a, "evalue"));
    o->ok = a && !(c->kind == EXPRESSION && status
                   && strcmp(status, "ok") != 0);
    snprintf(o->ename, sizeof o->ename, "%s", !a ? no_answer : o->ok ? ""
             : ename ? ename : "(null)");
    snprintf(o->evalue, sizeof o->evalue, "%s", evalue ? evalue : "");
}

/* A hash of a request's answer, which it frees (FNV-1a of its JSON with
 * sorted keys); 0 for none. Copies the start of the JSON to text when
 * not NULL. Call it with no fault armed. */
static unsigned long fingerprint(json_t *answer, char *text, size_t size)
{
    if (!answer)
        return 0;
    char *s = json_dumps(answer, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(answer);
    if (text)
        snprintf(text, size, "%s", s ? s : "");
    unsigned long h = 14695981039346656037UL;
    for (const char *p = s ? s : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211UL;
    free(s);
    return h ? h : 1;
}

/* The child: runs cell c with allocation n failing (0: none), then
 * again without a fault, frees the interpreter and reports. */
static void child(interp *it, const cell *c, long n, unsigned seconds)
{
    signal(SIGSEGV, crash_handler);
    signal(SIGBUS, crash_handler);
    signal(SIGFPE, crash_handler);
    signal(SIGILL, crash_handler);
    signal(SIGABRT, crash_handler);
    alarm(seconds);
    report *r = shared;
    outcome o;
    fault_persist(persist);
    fault_arm(n);
    run(it, c, &o);
    r->triggered = fault_triggered();
    r->allocs = fault_count();
    fault_arm(0);
    r->ok = o.ok;
    r->shape = o.shape;
    memcpy(r->ename, o.ename, sizeof r->ename);
    memcpy(r->evalue, o.evalue, sizeof r->evalue);
    r->print = fingerprint(o.answer, r->answer, sizeof r->answer);
    run(it, c, &o);
    r->again_ok = o.ok;
    memcpy(r->again_ename, o.ename, sizeof r->again_ename);
    r->again_print = fingerprint(o.answer, NULL, 0);
    it->free(it->self);
    r->live = fault_live();
    r->done = 1;
    _exit(0);
}

/* The failures seen, grouped by cell and what happened, for the summary
 * at the end (static: the harness allocates nothing of its own). */
#define MAX_KINDS 256
static struct {
    const cell *c;
    char what[200];
    long first, count;
} kinds[MAX_KINDS];
static int n_kinds;

/* Prints "FAIL cell N=n: what" and counts it in the summary. */
static void fail(const cell *c, long n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(const cell *c, long n, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    printf("FAIL %s N=%ld: %s\n", c->name, n, what);
    /* group "needs 344 bytes" with "needs 216 bytes" */
    char *b = strstr(what, " needs ");
    if (b)
        b[6] = '\0';
    for (int i = 0; i < n_kinds; i++)
        if (kinds[i].c == c && strcmp(kinds[i].what, what) == 0) {
            kinds[i].count++;
            return;
        }
    if (n_kinds < MAX_KINDS) {
        kinds[n_kinds].c = c;
        snprintf(kinds[n_kinds].what, sizeof kinds[n_kinds].what, "%s",
                 what);
        kinds[n_kinds].first = n;
        kinds[n_kinds++].count = 1;
    }
}

static void summary(void)
{
    if (n_kinds)
        printf("\nsummary: cell, first N, runs, what\n");
    for (int i = 0; i < n_kinds; i++)
        printf("  %-16s N=%-5ld %4ld x  %s\n", kinds[i].c->name,
               kinds[i].first, kinds[i].count, kinds[i].what);
}

/* Forks a child for (c, n) and waits for it; returns its report, or
 * NULL (after printing why) when it died. */
static const report *fork_run(interp *it, const cell *c, long n,
                              unsigned seconds)
{
    memset(shared, 0, sizeof *shared);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0)
        child(it, c, n, seconds);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        fail(c, n, "%s",
               sig == SIGALRM ? "hangs (alarm)" : strsignal(sig));
        return NULL;
    }
    if (!shared->done || WEXITSTATUS(status) != 0) {
        fail(c, n, "exit status %d before the end", WEXITSTATUS(status));
        return NULL;
    }
    return shared;
}

/* ---- one cell ---- */

typedef struct verdict {
    int ok;             /* the clean run's outcome */
    char ename[64];
    unsigned long print;
    long allocs;        /* allocations of the clean run */
    long live;          /* blocks left by the clean run, interpreter freed */
} verdict;

/* Checks one faulted run against the clean one; returns 1 if it failed
 * (after printing why). */
static int judge(const cell *c, long n, const report *r, const verdict *v)
{
    int bad = 0;
    if (!r->ok && strcmp(r->ename, "MemoryError") != 0
        && strcmp(r->ename, no_answer) != 0
        && (v->ok || strcmp(r->ename, v->ename) != 0)) {
        fail(c, n, "error %s: %s (want MemoryError)", r->ename, r->evalue);
        bad = 1;
    }
    if (r->shape) {
        fail(c, n, "error reply without evalue or traceback");
        bad = 1;
    }
    if (r->ok && r->print && r->print != v->print) {
        fail(c, n, "an answer other than the one without a fault: %s",
             r->answer);
        bad = 1;
    }
    if (r->again_ok != v->ok || strcmp(r->again_ename, v->ename) != 0
        || r->again_print != v->print) {
        fail(c, n, "run again without a fault, the cell gives "
               "%s (without a fault before it: %s)",
               r->again_ok ? "ok" : r->again_ename,
               v->ok ? "ok" : v->ename);
        bad = 1;
    }
    if (r->live > v->live) {
        fail(c, n, "%ld blocks leaked", r->live - v->live);
        bad = 1;
    }
    return bad;
}

/* Tests cell c on the state of `it`; returns the number of failed runs. */
static int test_cell(interp *it, const cell *c, long max_runs,
                     unsigned seconds)
{
    const report *r = fork_run(it, c, 0, seconds);
    if (!r) {
        printf("FAIL %s: crashes without a fault\n", c->name);
        return 1;
    }
    verdict v = {r->ok, "", r->print, r->allocs, r->live};
    snprintf(v.ename, sizeof v.ename, "%s", r->ename);
    int failed = 0;
    if (r->live > 0) {
        printf("FAIL %s: %ld blocks left after the interpreter was freed, "
               "without a fault\n", c->name, r->live);
        failed++;
    }
    long stride = max_runs > 0 && v.allocs > max_runs
                ? (v.allocs + max_runs - 1) / max_runs : 1;
    long runs = 0;
    time_t t0 = time(NULL);
    for (long n = 1;; n += stride) {
        r = fork_run(it, c, n, seconds);
        runs++;
        if (!r) {
            failed++;
            continue;
        }
        failed += judge(c, n, r, &v);
        if (!r->triggered)
            break;
    }
    printf("cell %-16s %-11s %6ld allocations, %4ld runs (N = 1, %ld, "
           "..., every %ld), %2lds, %d failed\n", c->name,
           v.ok ? "ok" : v.ename, v.allocs, runs, 1 + stride, stride,
           (long)(time(NULL) - t0), failed);
    return failed;
}

/* Writes the CSV file the csv cell reads, in the working folder. */
static int write_csv(void)
{
    FILE *f = fopen("fault_data.csv", "w");
    if (!f)
        return -1;
    fputs("a,b,kind\n", f);
    for (int i = 0; i < 12; i++)
        fprintf(f, "%d.5,%d,%s\n", i, 12 - i, i % 3 ? "cat" : "dog");
    return fclose(f);
}

static int wanted(const cell *c, int argc, char **argv)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], c->name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    fault_jansson();
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *e = getenv("FAULT_RUNS");
    long max_runs = e ? atol(e) : 400;
    e = getenv("FAULT_PERSIST");
    persist = e && atoi(e) > 0;
    e = getenv("FAULT_SECONDS");
    unsigned seconds = e ? (unsigned)atoi(e) : 30;
    void *frames[1];
    backtrace(frames, 1);       /* loads libgcc before any fault */
    shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    if (write_csv() < 0) {
        perror("fault_data.csv");
        return 2;
    }
    interp *it = lang_interp_new(&commands_library);
    if (!it) {
        printf("FAIL: no interpreter\n");
        return 1;
    }
    int failed = 0;
    for (size_t i = 0; i < N_CELLS; i++) {
        if (wanted(&cells[i], argc, argv))
            failed += test_cell(it, &cells[i], max_runs, seconds);
        /* the next cell runs on the state this one leaves */
        outcome o;
        run(it, &cells[i], &o);
        json_decref(o.answer);
    }
    it->free(it->self);
    if (fault_live() != 0) {
        printf("FAIL: %ld blocks left after the interpreter was freed\n",
               fault_live());
        failed++;
    }
    summary();
    printf("%d failed runs%s\n", failed,
           persist ? " (every allocation from the Nth on failing)" : "");
    return failed ? 1 : 0;
}
