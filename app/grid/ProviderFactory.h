#pragma once

#include "base/Clock.h"

#include <QString>
#include <memory>

class QNetworkAccessManager;

namespace greenpulse::grid {

class GridCounters;
class IntensityProvider;
struct GridSettings;

// The provider --provider names, with its zones checked (each a zone the wire contract accepts;
// in the schedule for file; GB or GB-<1-17> for uk) and, for file, the schedule read. nullptr
// with *error (every problem, with the schedule's line numbers) when it cannot run.
std::unique_ptr<IntensityProvider> makeProvider(const GridSettings &settings,
                                                QNetworkAccessManager &network,
                                                const core::Clock &clock, GridCounters &counters,
                                                QString *error);

} // namespace greenpulse::grid
