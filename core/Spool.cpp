#include "Spool.h"
