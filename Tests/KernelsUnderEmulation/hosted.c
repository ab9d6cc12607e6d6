/// check.c as an ordinary Linux program: `./check` on a machine with AVX-512, or `--any` to run
/// the comparisons whatever the CPU (on AVX2 the AVX-512 requests run the AVX2 tier).
#include "check.h"

#include <stdio.h>
#include <string.h>

void check_write(const char *text, long length) { fwrite(text, 1, (size_t)length, stdout); }

int main(int argc, char **argv) {
    const int failed = check_run(!(argc > 1 && strcmp(argv[1], "--any") == 0));
    fflush(stdout);
    return failed ? 1 : 0;
}
