#include "server/core/policy.h"
