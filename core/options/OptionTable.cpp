#include "options/OptionTable.h"

#include "accounting/LedgerConfig.h"
#include "accounting/StateFile.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"
#include "options/FootprintSections.h"
#include "options/OptionNames.h"
#include "options/Options.h"
#include "pipeline/Processor.h"

#include <QStandardPaths>
#include <limits>

namespace greenpulse::core {

namespace {

using Spec = OptionSpec;

// Accounting values outside these are mistakes, not sites: a PUE below 1 would mean the facility
// gives energy back; the worst grids emit about 1.2 kg CO2e per kWh.
constexpr double kMinPue = 1;
constexpr double kMaxPue = 5;
constexpr double kMaxCarbonKgPerKwh = 5;
constexpr double kMinGapSeconds = 0.1;
constexpr double kMaxGapSeconds = 24 * 3600;
constexpr double kMaxCount = std::numeric_limits<int>::max(); // LedgerConfig holds an int
// Footprint factors beyond these are mistakes too (FootprintSections.h holds them for the maps).
constexpr double kMaxWaterLPerKwh = footprintsections::kMaxWaterLPerKwh;
constexpr double kMaxEmbodiedKg = footprintsections::kMaxEmbodiedKg;
constexpr double kMinLifetimeYears = footprintsections::kMinLifetimeYears;
constexpr double kMaxLifetimeYears = footprintsections::kMaxLifetimeYears;

constexpr qint64 kMiB = 1024 * 1024;

// Below the user's config folder (~/.config).
constexpr QLatin1String kUserConfigFile("greenpulse/greenpulse.conf");

QList<OptionSpec> generalRows()
{
    return {
        Spec::path(opt::kConfig, QStringLiteral("file"),
                   QStringLiteral("INI file with default values for these options (keys are the "
                                  "long option names). Default: ~/.config/%1, then %2.")
                       .arg(kUserConfigFile, kSystemConfigFile)),
        Spec::flag(opt::kPrintConfig,
                   QStringLiteral("Print every option's value and where it came from, then exit.")),
    };
}

QList<OptionSpec> mqttRows()
{
    const MqttOptions mqtt;
    const int g = Options::Mqtt;
    return {
        Spec::url(opt::kBroker,
                  QStringLiteral("MQTT broker URL: tcp://host:port, or ssl://host:port for TLS."),
                  mqtt.brokerUrl)
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kClientId, QStringLiteral("id"),
                   QStringLiteral("MQTT client id. Default: <program>-<host>, or "
                                  "<program>-<host>-2... while another instance runs here "
                                  "(stable across restarts)."))
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kUsername, QStringLiteral("name"), QStringLiteral("MQTT user name."))
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kPassword, QStringLiteral("secret"),
                   QStringLiteral("MQTT password (prefer GREENPULSE_PASSWORD or the config file)."))
            .asSecret()
            .inGroup(g)
            .onDashboard(),
        Spec::path(opt::kCaFile, QStringLiteral("file"),
                   QStringLiteral("CA certificate (PEM) to verify the broker; enables TLS."))
            .inGroup(g)
            .onDashboard(),
    };
}

QList<OptionSpec> hostAndPublishingRows()
{
    return {
        Spec::text(opt::kHost, QStringLiteral("name"),
                   QStringLiteral("Host name this program reports as. Default: this machine's."))
            .inGroup(Options::Host),
        Spec::integer(opt::kIntervalMs, QStringLiteral("ms"),
                      QStringLiteral("Milliseconds between two messages."), 1000)
            .inGroup(Options::Publishing),
        Spec::integer(opt::kCount, QStringLiteral("n"),
                      QStringLiteral("Stop after N messages (0: run until stopped)."), 0)
            .inGroup(Options::Publishing),
    };
}

QString writerModeName(InfluxOptions::WriterMode mode)
{
    switch (mode) {
    case InfluxOptions::WriterMode::Auto:
        return QStringLiteral("auto");
    case InfluxOptions::WriterMode::Always:
        return QStringLiteral("always");
    case InfluxOptions::WriterMode::Never:
        return QStringLiteral("never");
    case InfluxOptions::WriterMode::Off:
        break;
    }
    return QStringLiteral("off");
}

QList<OptionSpec> influxRows(const QString &programName)
{
    const InfluxOptions influx;
    const int g = Options::Influx;
    return {
        Spec::url(opt::kInfluxUrl,
                  QStringLiteral("InfluxDB base URL, e.g. http://127.0.0.1:8086. Empty: writing "
                                 "is off."),
                  influx.url)
            .inGroup(g)
            .onDashboard(),
        Spec::oneOf(opt::kInfluxApi, {QStringLiteral("v1"), QStringLiteral("v2")},
                    QStringLiteral("InfluxDB write API: v1 (/write) or v2 (/api/v2/write)."),
                    influx.api == InfluxOptions::Api::V2 ? QStringLiteral("v2")
                                                         : QStringLiteral("v1"))
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxOrg, QStringLiteral("org"),
                   QStringLiteral("InfluxDB v2 organisation."), influx.org)
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxBucket, QStringLiteral("bucket"),
                   QStringLiteral("InfluxDB v2 bucket."), influx.bucket)
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxDb, QStringLiteral("name"), QStringLiteral("InfluxDB v1 database."),
                   influx.database)
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxRp, QStringLiteral("name"),
                   QStringLiteral("InfluxDB v1 retention policy (default: the database's)."),
                   influx.retentionPolicy)
            .inGroup(g),
        Spec::text(opt::kInfluxToken, QStringLiteral("token"),
                   QStringLiteral("InfluxDB v2 API token (prefer GREENPULSE_INFLUX_TOKEN). Never "
                                  "logged."))
            .asSecret()
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxUser, QStringLiteral("name"),
                   QStringLiteral("InfluxDB v1 user name."))
            .inGroup(g)
            .onDashboard(),
        Spec::text(opt::kInfluxPassword, QStringLiteral("secret"),
                   QStringLiteral("InfluxDB v1 password (prefer GREENPULSE_INFLUX_PASSWORD)."))
            .asSecret()
            .inGroup(g)
            .onDashboard(),
        // Empty by default, as before; the folder it stands for is named in the help.
        Spec::path(opt::kSpoolDir, QStringLiteral("dir"),
                   QStringLiteral("Folder for points not yet acknowledged by InfluxDB. Default: "
                                  "%1.")
                       .arg(InfluxOptions::defaultSpoolDir(programName)))
            .inGroup(g),
        Spec::oneOf(opt::kInfluxWriter,
                    {QStringLiteral("auto"), QStringLiteral("always"), QStringLiteral("never")},
                    QStringLiteral("When several processes write one database: auto (the longest "
                                   "running one writes, the others only view), always, or never "
                                   "(only view)."),
                    writerModeName(InfluxOptions::kProgramWriterMode))
            .inGroup(g),
        Spec::integer(opt::kSpoolMaxMb, QStringLiteral("mb"),
                      QStringLiteral("Spool size limit in MiB; beyond it the oldest batches are "
                                     "dropped and counted."),
                      influx.spoolMaxBytes / kMiB)
            .inGroup(g),
    };
}

QList<OptionSpec> footprintRows()
{
    const FootprintConfig fp;
    const int g = Options::Ledger;
    const QString litres = QStringLiteral("L/kWh");
    return {
        Spec::text(opt::kGridZone, QStringLiteral("zone"),
                   QStringLiteral("Grid zone of every host whose samples name none and that the "
                                  "config file's [host-zones] does not list; its carbon intensity "
                                  "comes from greenpulse/grid/<zone>/carbon_intensity. Empty: "
                                  "--carbon-intensity applies."),
                   fp.gridZone)
            .inGroup(g),
        Spec::real(opt::kGridStaleS, QStringLiteral("seconds"),
                   QStringLiteral("A zone not heard from for this long keeps its last intensity, "
                                  "counted and flagged stale. 0: never stale."),
                   fp.gridStaleSeconds)
            .range(0, kMaxGapSeconds * 30)
            .inGroup(g),
        Spec::real(opt::kWue, litres,
                   QStringLiteral("On-site water consumed per IT kWh (WUE); per zone in "
                                  "[zone-wue]. Default: the U.S. average of Li et al. 2023."),
                   fp.wueLPerKwh)
            .range(0, kMaxWaterLPerKwh)
            .inGroup(g),
        Spec::real(opt::kEwif, litres,
                   QStringLiteral("Off-site water consumed per facility kWh to generate the "
                                  "electricity (EWIF); per zone in [zone-ewif]. Default: the U.S. "
                                  "average of Li et al. 2023."),
                   fp.ewifLPerKwh)
            .range(0, kMaxWaterLPerKwh)
            .inGroup(g),
        Spec::real(opt::kEmbodiedKg, QStringLiteral("kg"),
                   QStringLiteral("Embodied carbon of each host not in [host-embodied-kg], kg "
                                  "CO2e over its lifetime. 0: off."),
                   fp.embodiedKg)
            .range(0, kMaxEmbodiedKg)
            .inGroup(g),
        Spec::real(opt::kLifetimeYears, QStringLiteral("years"),
                   QStringLiteral("Lifetime over which a host's embodied carbon is spread; per "
                                  "host in [host-lifetime-years]."),
                   fp.lifetimeYears)
            .range(kMinLifetimeYears, kMaxLifetimeYears)
            .inGroup(g),
    };
}

QList<OptionSpec> ledgerRows(const QString &programName)
{
    const LedgerConfig ledger;
    const ProcessorOptions processor;
    const int g = Options::Ledger;
    const QString seconds = QStringLiteral("seconds");
    const QString count = QStringLiteral("count");
    return {
        Spec::real(opt::kMaxGapS, seconds,
                   QStringLiteral("Longest gap between two samples of a host that is still "
                                  "integrated, in seconds."),
                   ledger.maxGapSeconds)
            .range(kMinGapSeconds, kMaxGapSeconds)
            .inGroup(g)
            .onDashboard(),
        Spec::real(opt::kPue, QStringLiteral("factor"),
                   QStringLiteral("Power usage effectiveness (>= %1).")
                       .arg(OptionSpec::numberText(kMinPue)),
                   ledger.pue)
            .range(kMinPue, kMaxPue)
            .inGroup(g)
            .onDashboard(),
        Spec::real(opt::kCarbonIntensity, QStringLiteral("kg/kWh"),
                   QStringLiteral("Grid carbon intensity in kg CO2e per kWh."),
                   ledger.carbonKgPerKwh)
            .range(0, kMaxCarbonKgPerKwh)
            .inGroup(g)
            .onDashboard(),
        Spec::real(opt::kMaxClockAheadS, seconds,
                   QStringLiteral("A sample or control message stamped further ahead of its "
                                  "receipt time is re-stamped with it (counted as clock_skew); "
                                  "0: never."),
                   ledger.maxClockAheadSeconds)
            .inGroup(g),
        Spec::real(opt::kMaxClockBehindS, seconds,
                   QStringLiteral("The same for timestamps further behind their receipt time."),
                   ledger.maxClockBehindSeconds)
            .inGroup(g),
        Spec::integer(opt::kMaxHosts, count,
                      QStringLiteral("Most hosts kept in memory; samples of more are rejected "
                                     "(too_many_ids). 0: no bound."),
                      ledger.maxHosts)
            .range(0, kMaxCount)
            .inGroup(g),
        Spec::integer(opt::kMaxJobs, count,
                      QStringLiteral("Most jobs kept in memory (running and recently ended); "
                                     "messages naming more are rejected (too_many_ids). 0: no "
                                     "bound."),
                      ledger.maxJobs)
            .range(0, kMaxCount)
            .inGroup(g),
        Spec::real(opt::kMaxNewIdsPerMinute, count,
                   QStringLiteral("Rate of new host names and job ids together (a token bucket "
                                  "of one minute's worth); beyond it messages are rejected "
                                  "(id_rate_limited). 0: no limit."),
                   ledger.maxNewIdsPerMinute)
            .inGroup(g),
        Spec::real(opt::kHostExpiryS, seconds,
                   QStringLiteral("A host without a sample for this long, and targeted by no "
                                  "running job, leaves memory. 0: never."),
                   ledger.hostExpirySeconds)
            .inGroup(g),
        // Empty by default, as before; the file it stands for is named in the help.
        Spec::path(opt::kStateFile, QStringLiteral("file"),
                   QStringLiteral("Where the ledger is saved so totals survive a restart. "
                                  "Default: %1; \"none\" disables it.")
                       .arg(StateFile::defaultPath(programName)))
            .inGroup(g),
        Spec::oneOf(opt::kLegacyControl, {QStringLiteral("accept"), QStringLiteral("reject")},
                    QStringLiteral("Control messages on the shared greenpulse/control topic: "
                                   "accept or reject (counted as not_owner). See "
                                   "docs/security.md."),
                    processor.acceptLegacyControl ? QStringLiteral("accept")
                                                  : QStringLiteral("reject"))
            .inGroup(g),
        Spec::real(opt::kStaleAfterS, seconds,
                   QStringLiteral("A host not heard from for longer than this is shown as "
                                  "silent (greyed, counted, left out of the power now)."),
                   processor.staleAfterSeconds)
            .range(1, kMaxGapSeconds)
            .inGroup(g),
    };
}

QList<OptionSpec> ledgerFeedRows()
{
    const LedgerPublisherOptions publisher;
    constexpr double kMaxIntervalSeconds = 3600;
    return {
        Spec::text(opt::kProcessorName, QStringLiteral("name"),
                   QStringLiteral("This processor's name in the ledger it publishes "
                                  "(greenpulse/ledger/<name>/...), which dashboards follow with "
                                  "--follow <name>. Default: this machine's host name."))
            .inGroup(Options::LedgerFeed),
        Spec::real(opt::kLedgerIntervalS, QStringLiteral("seconds"),
                   QStringLiteral("Publish the ledger (what changed, retained) every N seconds; "
                                  "0: not at all."),
                   publisher.intervalMs / 1000.0)
            .range(0, kMaxIntervalSeconds)
            .inGroup(Options::LedgerFeed),
        Spec::text(opt::kFollow, QStringLiteral("processor"),
                   QStringLiteral("Show the ledger that greenpulse-processor <processor> publishes "
                                  "instead of running an own processor (nothing is written to "
                                  "InfluxDB then). Empty: the own processor."))
            .inGroup(Options::Follow)
            .onDashboard(),
    };
}

} // namespace

QString userConfigFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QLatin1Char('/') + kUserConfigFile;
}

QList<OptionSpec> sharedOptionTable(const QString &programName)
{
    return generalRows() + mqttRows() + hostAndPublishingRows() + influxRows(programName) +
           ledgerRows(programName) + footprintRows() + ledgerFeedRows();
}

} // namespace greenpulse::core
