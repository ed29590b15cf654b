#include "MetricsSchema.h"
