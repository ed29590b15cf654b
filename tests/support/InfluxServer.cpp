#include "InfluxServer.h"
