#pragma once

#include "accounting/Ledger.h"
#include "base/Clock.h"
#include "pipeline/Processor.h"
#include "pipeline/SeriesStore.h"

#include <memory>

namespace greenpulse::app {

class Backend;
class ChartBackfill;
class FollowBackend;
class GuiSettings;
class JobController;
class LaunchControl;
class SnapshotSource;

// Everything behind the window, built from the settings in one place for main() and the tests:
// the clock, the ledger, the chart series and their back-fill from InfluxDB, the processor side on
// its worker thread (Backend: Processor + MosquittoClient + InfluxWriter) and the job controls' own
// MQTT client. Plain members, no singletons; destroyed in reverse order (the worker thread stops
// first). Follow mode (the settings' "follow" names a processor): no Processor and no InfluxWriter
// are made; a FollowBackend shows that processor's published ledger instead (`backend` stays null).
struct Components
{
    Components(GuiSettings &settings, core::ProcessorOptions processorOptions);
    ~Components();
    Components(const Components &) = delete;
    Components &operator=(const Components &) = delete;

    // Starts the worker thread (processor, writer, MQTT) and connects the job controls.
    void start();
    // What the window shows: `backend`, or `follower` in follow mode.
    SnapshotSource &source() const;

    core::SystemClock clock;
    core::Ledger ledger;
    core::SeriesStore series;
    std::unique_ptr<ChartBackfill> backfill; // the charts' history from InfluxDB, when set
    std::unique_ptr<Backend> backend;        // null in follow mode
    std::unique_ptr<FollowBackend> follower; // null unless in follow mode
    int snapshotIntervalMs = 250;
    std::unique_ptr<JobController> jobs;
    std::unique_ptr<LaunchControl> launch; // what Start job runs (label, command, Slurm)
};

} // namespace greenpulse::app
