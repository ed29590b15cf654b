#pragma once

#include "accounting/Ledger.h"
#include "base/Clock.h"
#include "pipeline/Processor.h"
#include "pipeline/SeriesStore.h"

#include <memory>

namespace greenpulse::app {

class Backend;
class GuiSettings;
class JobController;
class LaunchControl;

// Everything behind the window, built from the settings in one place for main() and the tests:
// the clock, the ledger, the chart series, the processor side on its worker thread (Backend:
// Processor + MosquittoClient + InfluxWriter) and the job controls' own MQTT client.
// Plain members, no singletons; destroyed in reverse order (the worker thread stops first).
struct Components
{
    Components(GuiSettings &settings, core::ProcessorOptions processorOptions);
    ~Components();
    Components(const Components &) = delete;
    Components &operator=(const Components &) = delete;

    // Starts the worker thread (processor, writer, MQTT) and connects the job controls.
    void start();

    core::SystemClock clock;
    core::Ledger ledger;
    core::SeriesStore series;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<JobController> jobs;
    std::unique_ptr<LaunchControl> launch; // what Start job runs (label, command, Slurm)
};

} // namespace greenpulse::app
