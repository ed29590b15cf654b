#include "JobPublisher.h"
