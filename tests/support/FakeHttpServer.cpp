#include "FakeHttpServer.h"
