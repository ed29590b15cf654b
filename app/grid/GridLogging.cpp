#include "GridLogging.h"

Q_LOGGING_CATEGORY(lcGrid, "greenpulse.grid")
