/* bigswitch.h with 256 cases: a function RyuJIT optimises. */
#define CASES 256
#define CASE_LIST C256(0)
#include "bigswitch.h"
