#pragma once

#include "providers/HttpProvider.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::core {
class Options;
struct OptionSpec;
} // namespace greenpulse::core

namespace greenpulse::grid {

// greenpulse-grid's own options (the MQTT ones come from the shared table), read once:
// --provider, --zone, --schedule, --electricitymaps-url, --electricitymaps-token (secret),
// --uk-url, --http-timeout-s, --poll-min-s, --poll-max-s, --poll-margin-s, --duration-s.
// docs/footprint.md ("greenpulse-grid") describes them.
struct GridSettings
{
    QString provider;  // file, electricitymaps or uk
    QStringList zones; // --zone, a comma list; empty: every zone of the schedule (file only)
    QString schedulePath;
    QString electricityMapsUrl;
    QString electricityMapsToken;
    QString ukUrl;
    HttpPollSettings poll;
    qint64 durationS = 0; // 0: until SIGINT/SIGTERM

    static QList<core::OptionSpec> optionSpecs();
    // The settings, or nullopt with *error saying which option is wrong and why (exit code 2).
    static std::optional<GridSettings> read(const core::Options &options, QString *error);
};

} // namespace greenpulse::grid
