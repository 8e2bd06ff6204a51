/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The least a notify-type service can be: it links libsystemd, sends READY=1 and waits for
 * SIGTERM. bench-footprint times dutyd's exec-to-READY=1 and measures its idle memory against it. */

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

int main(void) {
        sigset_t mask;
        int sig;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return EXIT_FAILURE;
        if (sd_notify(false, "READY=1") < 0)
                return EXIT_FAILURE;
        return sigwait(&mask, &sig) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
