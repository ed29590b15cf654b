#pragma once

// The tests' InfluxDB 1.x and VictoriaMetrics: the launchers shared with the benchmark harness
// (testing/servers), under the names the tests use.

#include "InfluxDbServer.h"
#include "TestSupport.h"
#include "VictoriaMetricsServer.h"

namespace greenpulse::test {

using InfluxServer = servers::InfluxDbServer;
using servers::VictoriaMetricsServer;

} // namespace greenpulse::test
