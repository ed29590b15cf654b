#pragma once

#include "PowerSource.h"

#include <memory>
#include <vector>

namespace greenpulse::core {
class Options;
struct OptionSpec;
} // namespace greenpulse::core

namespace greenpulse::sim {

// Where the host agent's real sources look (--sysfs-root, --nvml-library).
struct SourceSettings
{
    QString sysfsRoot = QStringLiteral("/");
    QString nvmlLibrary; // empty: libnvidia-ml.so.1
};

// The host agent's source options: --source, --list-sources, --sysfs-root, --nvml-library.
QList<core::OptionSpec> sourceOptionSpecs();
SourceSettings sourceSettings(const core::Options &options);
QString sourceOption(const core::Options &options); // the --source text
bool listSourcesRequested(const core::Options &options);

// The real sources, in the order auto tries them.
QStringList realSourceNames(); // rapl, hwmon, nvml
std::unique_ptr<PowerSource> createRealSource(const QString &name, const SourceSettings &settings);

// The sources `spec` (--source: auto, sim, or a comma list of real ones) chooses, opened.
struct SourceSelection
{
    std::vector<std::unique_ptr<PowerSource>> sources; // empty when simulated
    bool simulated = false; // use the simulated source (asked, or auto found nothing)
    QStringList warnings;   // for the log: auto fell back to sim; zones found but unreadable
    QString error;          // not empty: the agent must not start (unknown or unusable source)
};
SourceSelection selectSources(const QString &spec, const SourceSettings &settings);

// What --list-sources prints: every real source, what it found, readable or not and why, and
// what `auto` would use.
QString listSources(const SourceSettings &settings);

} // namespace greenpulse::sim
