#include "server/core/business_calendar.h"
