/*
 * dr_test.h — the shared shape of a CUnit test program.
 *
 * A test file defines `static const dr_test_case dr_tests[] = {...}` ending
 * with {NULL, NULL}, then writes DR_TEST_MAIN("suite name"). The exit status
 * comes from the failure count, read before the registry is cleaned up
 * (CU_basic_run_tests alone reports success even when assertions fail).
 */
#ifndef DR_TEST_H
#define DR_TEST_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct dr_test_case {
    const char *name;
    void (*fn)(void);
} dr_test_case;

static inline int dr_test_run(const char *suite_name, const dr_test_case *cases)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    CU_pSuite s = CU_add_suite(suite_name, NULL, NULL);
    if (!s) {
        CU_cleanup_registry();
        return 1;
    }
    for (const dr_test_case *c = cases; c->name; c++)
        if (!CU_add_test(s, c->name, c->fn)) {
            CU_cleanup_registry();
            return 1;
        }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (run == 0) {
        fprintf(stderr, "no tests ran\n");
        return 1;
    }
    return failures == 0 ? 0 : 1;
}

#define DR_TEST_MAIN(suite_name)                                                         \
    int main(void)                                                                       \
    {                                                                                    \
        return dr_test_run((suite_name), dr_tests);                                      \
    }

/* Path of a file under the source tree, e.g. DR_SRC("scenarios/test/x.cfg"). */
#define DR_SRC(rel) DR_SOURCE_DIR "/" rel

#endif /* DR_TEST_H */
