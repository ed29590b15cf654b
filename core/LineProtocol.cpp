#include "LineProtocol.h"
