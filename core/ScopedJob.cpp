#include "ScopedJob.h"
