/* bigswitch.h with 1024 cases: a function past RyuJIT's limits, compiled without optimisation. */
#define CASES 1024
#define CASE_LIST C1024(0)
#include "bigswitch.h"
