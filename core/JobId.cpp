#include "JobId.h"
