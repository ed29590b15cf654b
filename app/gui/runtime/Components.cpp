#include "runtime/Components.h"

#include "influx/InfluxWriter.h"
#include "mqtt/MosquittoClient.h"
#include "runtime/Backend.h"
#include "runtime/ChartBackfill.h"
#include "runtime/FollowBackend.h"
#include "runtime/GuiSettings.h"
#include "runtime/JobController.h"
#include "runtime/SwappableMqttClient.h"
#include "runtime/launchers/LaunchControl.h"

namespace greenpulse::app {

Components::Components(GuiSettings &settings, core::ProcessorOptions processorOptions)
    : ledger(settings.ledgerConfig(), clock), series(2048, 4096),
      snapshotIntervalMs(processorOptions.snapshotIntervalMs)
{
    // Also in follow mode: the history of the database the followed processor writes, if set.
    backfill = std::make_unique<ChartBackfill>(series);
    backfill->setOptions(settings.influxOptions());
    jobs = std::make_unique<JobController>(
        std::make_unique<core::MosquittoClient>(settings.controlMqttOptions()));
    jobs->useControlTopicOf(settings.controlMqttOptions().username);
    launch = std::make_unique<LaunchControl>(settings, *jobs);
    if (const QString followed = settings.followProcessor(); !followed.isEmpty()) {
        core::MqttOptions mqtt = settings.processorMqttOptions();
        mqtt.cleanSession = true; // the retained ledger is all it needs, at every (re)connect
        follower = std::make_unique<FollowBackend>(followed, mqtt, &series, clock);
        return; // no processor and no InfluxDB writer: the followed processor's are the ones
    }
    auto mqtt = std::make_unique<SwappableMqttClient>(
        std::make_unique<core::MosquittoClient>(settings.processorMqttOptions()));
    // Always made, also when writing is off (empty URL): the settings may switch it on later.
    auto writer = std::make_unique<core::InfluxWriter>(settings.influxOptions());
    auto processor =
        std::make_unique<core::Processor>(ledger, *mqtt, clock, std::move(processorOptions));
    processor->setSeriesStore(&series);
    backend = std::make_unique<Backend>(std::move(mqtt), std::move(writer), std::move(processor));
}

Components::~Components()
{
    launch.reset(); // publishes through jobs
    jobs.reset();
    follower.reset();
    backend.reset(); // stops the worker thread before the ledger and series go
    backfill.reset();
}

void Components::start()
{
    if (follower) {
        follower->start(snapshotIntervalMs);
    } else {
        backend->start();
    }
    jobs->connectToBroker();
}

SnapshotSource &Components::source() const
{
    if (follower) {
        return *follower;
    }
    return *backend;
}

} // namespace greenpulse::app
