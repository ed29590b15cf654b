#pragma once

// The options every GreenPulse program shares, as one typed table: one row per option (name from
// OptionNames.h, kind, bounds, default, secret, help), in --help order. Each default is read from
// the config struct the option fills (LedgerConfig, InfluxOptions, MqttOptions, ProcessorOptions)
// or from the function that computes it (InfluxOptions::defaultSpoolDir,
// StateFile::defaultPath), so --help names the default the code really uses. Options takes the
// rows of the groups a program asks for; the dashboard's settings dialog shows the rows marked
// `dashboard`.

#include "options/OptionSpec.h"

#include <QList>

namespace greenpulse::core {

// `programName` names the program's own files in the defaults (spool folder, state file).
QList<OptionSpec> sharedOptionTable(const QString &programName);

// Where the config file is looked for when no --config is given: the user's
// (<XDG config home>/greenpulse/greenpulse.conf), then the system's.
QString userConfigFile();
inline constexpr QLatin1String kSystemConfigFile("/etc/greenpulse/greenpulse.conf");

} // namespace greenpulse::core
