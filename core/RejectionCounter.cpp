#include "RejectionCounter.h"
