#include "InfluxWriter.h"
