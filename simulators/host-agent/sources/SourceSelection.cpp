#include "SourceSelection.h"

#include "HwmonSource.h"
#include "NvmlSource.h"
#include "RaplSource.h"
#include "options/Options.h"

namespace greenpulse::sim {

namespace {
const QString kSource = QStringLiteral("source");
const QString kListSources = QStringLiteral("list-sources");
const QString kSysfsRoot = QStringLiteral("sysfs-root");
const QString kNvmlLibrary = QStringLiteral("nvml-library");
const QString kAuto = QStringLiteral("auto");
const QString kSim = QStringLiteral("sim");

QString indented(const QStringList &lines)
{
    QString text;
    for (const QString &line : lines) {
        text += QStringLiteral("  ") + line + QLatin1Char('\n');
    }
    return text;
}
} // namespace

QList<core::OptionSpec> sourceOptionSpecs()
{
    using Spec = core::OptionSpec;
    return {
        // A comma list: checked by selectSources(), which names the unknown source.
        Spec::text(kSource, QStringLiteral("auto|sim|rapl,hwmon,nvml"),
                   QStringLiteral("Where the power comes from: auto (every real source found, else "
                                  "sim with a warning), sim (simulated), or a comma list of rapl, "
                                  "hwmon, nvml. See docs/power-sources.md."),
                   kAuto),
        Spec::flag(kListSources,
                   QStringLiteral("Print the power sources found (zones, channels, GPUs; readable "
                                  "or not and why) and exit.")),
        Spec::path(kSysfsRoot, QStringLiteral("dir"),
                   QStringLiteral("Folder that roots every sysfs path (powercap, hwmon)."),
                   QStringLiteral("/")),
        Spec::path(kNvmlLibrary, QStringLiteral("path"),
                   QStringLiteral("NVML library to load. Default: libnvidia-ml.so.1 from the "
                                  "driver.")),
    };
}

SourceSettings sourceSettings(const core::Options &options)
{
    SourceSettings s;
    s.sysfsRoot = options.value(kSysfsRoot);
    s.nvmlLibrary = options.value(kNvmlLibrary);
    return s;
}

QString sourceOption(const core::Options &options)
{
    return options.value(kSource);
}

bool listSourcesRequested(const core::Options &options)
{
    return options.flag(kListSources);
}

QStringList realSourceNames()
{
    return {QStringLiteral("rapl"), QStringLiteral("hwmon"), QStringLiteral("nvml")};
}

std::unique_ptr<PowerSource> createRealSource(const QString &name, const SourceSettings &settings)
{
    if (name == QLatin1String("rapl")) {
        return std::make_unique<RaplSource>(settings.sysfsRoot);
    }
    if (name == QLatin1String("hwmon")) {
        return std::make_unique<HwmonSource>(settings.sysfsRoot);
    }
    if (name == QLatin1String("nvml")) {
        return std::make_unique<NvmlSource>(settings.nvmlLibrary);
    }
    return nullptr;
}

SourceSelection selectSources(const QString &spec, const SourceSettings &settings)
{
    SourceSelection selection;
    const QString text = spec.trimmed().toLower();
    if (text == kSim) {
        selection.simulated = true;
        return selection;
    }
    const bool automatic = text == kAuto;
    QStringList names = automatic ? realSourceNames() : text.split(QLatin1Char(','));
    for (QString &name : names) {
        name = name.trimmed();
        if (!realSourceNames().contains(name)) {
            selection.error = QStringLiteral("unknown power source \"%1\" in --source %2 "
                                             "(auto, sim, or a list of rapl, hwmon, nvml)")
                                  .arg(name, spec);
            return selection;
        }
    }
    names.removeDuplicates();
    QStringList notFound;
    for (const QString &name : std::as_const(names)) {
        std::unique_ptr<PowerSource> source = createRealSource(name, settings);
        const bool usable = source->open();
        selection.warnings << source->problems();
        if (usable) {
            selection.sources.push_back(std::move(source));
        } else if (automatic) {
            notFound << name + QStringLiteral(": ") +
                            source->describe().value(0, QStringLiteral("nothing found"));
        } else {
            selection.error = QStringLiteral("power source %1 cannot be used:\n%2")
                                  .arg(name, indented(source->describe()));
            return selection;
        }
    }
    if (selection.sources.empty()) {
        selection.simulated = true;
        selection.warnings << QStringLiteral("no real power source found: the power is "
                                             "SIMULATED (%1)")
                                  .arg(notFound.join(QStringLiteral("; ")));
    }
    return selection;
}

QString listSources(const SourceSettings &settings)
{
    QString text;
    QStringList usable;
    for (const QString &name : realSourceNames()) {
        std::unique_ptr<PowerSource> source = createRealSource(name, settings);
        const bool ok = source->open();
        if (ok) {
            usable << name;
        }
        text += QStringLiteral("%1: %2\n")
                    .arg(name, ok ? QStringLiteral("usable (") +
                                        source->components().join(QStringLiteral(", ")) +
                                        QLatin1Char(')')
                                  : QStringLiteral("not usable"));
        text += indented(source->describe());
    }
    text +=
        usable.isEmpty()
            ? QStringLiteral("--source auto would use: sim (no real source found; the power "
                             "would be simulated)\n")
            : QStringLiteral("--source auto would use: %1\n").arg(usable.join(QLatin1Char(',')));
    return text;
}

} // namespace greenpulse::sim
