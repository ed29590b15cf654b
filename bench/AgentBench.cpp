#include "AgentBench.h"

#include "BenchBroker.h"
#include "Report.h"
#include "Sys.h"
#include "sources/PowerMeter.h"
#include "sources/SourceSelection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <ctime>
#include <sys/resource.h>
#include <sys/vfs.h>

namespace greenpulse::bench {

namespace {

const QString kSection = QStringLiteral("agent");
constexpr long kTmpfsMagic = 0x01021994; // statfs f_type of tmpfs
constexpr int kWarmUpReads = 50;
// What the stand-in tree and NVML hold: 4 RAPL components (package-0/1, dram-0/1; core and psys
// are found but not summed), 2 hwmon channels, 2 GPUs.
constexpr int kComponents = 8;

#ifdef GREENPULSE_BENCH_FAKE_NVML
const QString kFakeNvml = QStringLiteral(GREENPULSE_BENCH_FAKE_NVML);
#else
const QString kFakeNvml;
#endif

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

// The stand-in hardware, as the tests build it (tests/test_power_agent.cpp): RAPL zones found by
// name, not index; hwmon with a power reading and an energy counter; two GPUs for the stand-in
// NVML (one without an energy counter).
bool buildHardware(const QString &root, const QString &nvmlState)
{
    bool ok = true;
    const auto zone = [&](const QString &id, const char *name, quint64 energyUj) {
        const QString dir = root + QStringLiteral("/sys/class/powercap/") + id + QLatin1Char('/');
        ok = ok && writeFile(dir + QStringLiteral("name"), QByteArray(name) + '\n') &&
             writeFile(dir + QStringLiteral("energy_uj"), QByteArray::number(energyUj) + '\n') &&
             writeFile(dir + QStringLiteral("max_energy_range_uj"), "262143328850\n");
    };
    zone(QStringLiteral("intel-rapl:0"), "package-0", 120'000'000);
    zone(QStringLiteral("intel-rapl:0:0"), "dram", 9'000'000);
    zone(QStringLiteral("intel-rapl:0:1"), "core", 80'000'000);
    zone(QStringLiteral("intel-rapl:1"), "package-1", 110'000'000);
    zone(QStringLiteral("intel-rapl:1:0"), "dram", 8'000'000);
    zone(QStringLiteral("intel-rapl:2"), "psys", 400'000'000);
    const QString hwmon = root + QStringLiteral("/sys/class/hwmon/");
    ok = ok && writeFile(hwmon + QStringLiteral("hwmon0/name"), "amdgpu\n") &&
         writeFile(hwmon + QStringLiteral("hwmon0/power1_average"), "41000000\n") &&
         writeFile(hwmon + QStringLiteral("hwmon1/name"), "board\n") &&
         writeFile(hwmon + QStringLiteral("hwmon1/energy1_input"), "3000000\n");
    // energy_mJ power_mW error (tests/support/fake-nvml/FakeNvml.cpp)
    return ok && writeFile(nvmlState, "9000000 280000 0\n- 65000 0\n");
}

double threadCpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double childrenCpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    const auto seconds = [](const timeval &tv) {
        return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// tmpfs when /dev/shm is one: the figures are the agent's, not a disk's.
QString stagingFolder(QString *kind)
{
    struct statfs fs
    {};
    if (::statfs("/dev/shm", &fs) == 0 && fs.f_type == kTmpfsMagic &&
        QFileInfo(QStringLiteral("/dev/shm")).isWritable()) {
        *kind = QStringLiteral("tmpfs (/dev/shm)");
        return QStringLiteral("/dev/shm/greenpulse-bench-agent-XXXXXX");
    }
    *kind = QStringLiteral("%1 (not tmpfs)").arg(QDir::tempPath());
    return QDir::tempPath() + QStringLiteral("/greenpulse-bench-agent-XXXXXX");
}

} // namespace

void AgentBench::run(int reads, int shortRun, int longRun, int intervalMs)
{
    if (kFakeNvml.isEmpty()) {
        m_report.note(kSection, QStringLiteral("skipped: the stand-in libnvidia-ml.so is built "
                                               "with the tests (GREENPULSE_BUILD_TESTS=ON)"));
        return;
    }
    QString kind;
    QTemporaryDir dir(stagingFolder(&kind));
    m_nvmlState = dir.filePath(QStringLiteral("nvml-state"));
    if (!dir.isValid() || !buildHardware(dir.path(), m_nvmlState)) {
        m_report.fail(kSection, QStringLiteral("cannot write the stand-in tree in %1").arg(kind));
        return;
    }
    m_report.note(kSection, QStringLiteral("stand-in hardware on %1: RAPL 2 sockets + 2 dram "
                                           "(+ core, psys), hwmon 2 channels, stand-in NVML 2 "
                                           "GPUs; real sysfs and NVML calls cost more")
                                .arg(kind));
    runInProcess(dir.path(), reads);
    runAgent(dir.path(), QStringLiteral("auto"), shortRun, longRun, intervalMs);
    runAgent(dir.path(), QStringLiteral("sim"), shortRun, longRun, intervalMs);
}

void AgentBench::runInProcess(const QString &sysfsRoot, int reads)
{
    qputenv("GREENPULSE_FAKE_NVML_STATE", QFile::encodeName(m_nvmlState));
    sim::SourceSettings settings;
    settings.sysfsRoot = sysfsRoot;
    settings.nvmlLibrary = kFakeNvml;
    const QList<QStringList> configurations{
        {QStringLiteral("rapl")},
        {QStringLiteral("hwmon")},
        {QStringLiteral("nvml")},
        {QStringLiteral("rapl"), QStringLiteral("hwmon"), QStringLiteral("nvml")},
    };
    for (const QStringList &names : configurations) {
        std::vector<std::unique_ptr<sim::PowerSource>> sources;
        for (const QString &name : names) {
            std::unique_ptr<sim::PowerSource> source = sim::createRealSource(name, settings);
            if (!source->open()) {
                m_report.fail(kSection,
                              QStringLiteral("%1 cannot be opened on the stand-in: %2")
                                  .arg(name, source->describe().join(QLatin1String("; "))));
                return;
            }
            sources.push_back(std::move(source));
        }
        sim::PowerMeter meter(std::move(sources), QStringLiteral("bench"));
        core::TimeNs now = core::TimeNs(1'700'000'000) * 1'000'000'000;
        meter.start(now);
        int components = 0;
        for (int i = 0; i < kWarmUpReads; ++i) {
            const sim::Measurement m = meter.measure(now += 1'000'000);
            components = int(m.components.size());
            if (!m.errors.isEmpty()) {
                m_report.fail(kSection, m.errors.join(QLatin1String("; ")));
                return;
            }
        }
        const double before = threadCpuSeconds();
        for (int i = 0; i < reads; ++i) {
            meter.measure(now += 1'000'000);
        }
        const double perRead = (threadCpuSeconds() - before) / reads;
        const QString which = names.join(QLatin1Char('+'));
        if (names.size() > 1 && components != kComponents) {
            m_report.fail(
                kSection,
                QStringLiteral("%1 components read, %2 expected").arg(components).arg(kComponents));
        }
        m_report.add(kSection,
                     QStringLiteral("PowerMeter::measure(), %1 (%2 components), CPU per sample")
                         .arg(which)
                         .arg(components),
                     perRead * 1e6, QStringLiteral("µs"),
                     QStringLiteral("agent_read_%1_us")
                         .arg(names.size() > 1 ? QStringLiteral("all") : which),
                     Report::Goal::None, 0, 1);
    }
}

void AgentBench::runAgent(const QString &sysfsRoot, const QString &source, int shortRun,
                          int longRun, int intervalMs)
{
    const AgentRun first = runAgentOnce(sysfsRoot, source, shortRun, intervalMs);
    const AgentRun second =
        first.error.isEmpty() ? runAgentOnce(sysfsRoot, source, longRun, intervalMs) : first;
    if (!second.error.isEmpty()) {
        m_report.fail(kSection, second.error);
        return;
    }
    const double perSample = (second.cpuSeconds - first.cpuSeconds) / (longRun - shortRun);
    m_report.add(kSection,
                 QStringLiteral("greenpulse-host-agent --source %1: CPU per published sample "
                                "(%2 - %3 samples every %4 ms)")
                     .arg(source)
                     .arg(longRun)
                     .arg(shortRun)
                     .arg(intervalMs),
                 perSample * 1e6, QStringLiteral("µs"),
                 QStringLiteral("agent_process_%1_us").arg(source), Report::Goal::None, 0, 1);
    m_report.add(kSection,
                 QStringLiteral("greenpulse-host-agent --source %1: peak RSS (VmHWM)").arg(source),
                 double(std::max(first.peakKb, second.peakKb)) / 1024.0, QStringLiteral("MiB"),
                 QStringLiteral("agent_rss_%1_mib").arg(source), Report::Goal::None, 0, 1);
}

AgentBench::AgentRun AgentBench::runAgentOnce(const QString &sysfsRoot, const QString &source,
                                              int samples, int intervalMs)
{
    AgentRun run;
    QProcess agent;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GREENPULSE_FAKE_NVML_STATE"), m_nvmlState);
    agent.setProcessEnvironment(env);
    const double before = childrenCpuSeconds();
    agent.start(sys::findProgram(QStringLiteral("greenpulse-host-agent")),
                {QStringLiteral("--broker"), m_broker.url(), QStringLiteral("--host"),
                 QStringLiteral("bench-agent"), QStringLiteral("--config"),
                 QStringLiteral("/dev/null"), QStringLiteral("--source"), source,
                 QStringLiteral("--sysfs-root"), sysfsRoot, QStringLiteral("--nvml-library"),
                 kFakeNvml, QStringLiteral("--interval-ms"), QString::number(intervalMs),
                 QStringLiteral("--count"), QString::number(samples)});
    if (!agent.waitForStarted(10000)) {
        run.error =
            QStringLiteral("greenpulse-host-agent did not start: %1").arg(agent.errorString());
        return run;
    }
    const qint64 pid = agent.processId();
    const int timeoutMs = 30000 + samples * intervalMs * 3;
    sys::waitUntil(
        [&] {
            run.peakKb = std::max(run.peakKb, sys::procStatusKb(pid, "VmHWM"));
            return agent.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (agent.state() != QProcess::NotRunning) {
        agent.kill();
        agent.waitForFinished(5000);
        run.error = QStringLiteral("greenpulse-host-agent --count %1 did not finish in %2 s")
                        .arg(samples)
                        .arg(timeoutMs / 1000);
        return run;
    }
    run.cpuSeconds = childrenCpuSeconds() - before;
    const QByteArray err = agent.readAllStandardError();
    const QByteArray expected = source == QLatin1String("sim") ? QByteArray("from a simulation")
                                                               : QByteArray("from rapl,hwmon,nvml");
    if (agent.exitStatus() != QProcess::NormalExit || agent.exitCode() != 0 ||
        !err.contains(expected)) {
        run.error = QStringLiteral("greenpulse-host-agent --source %1 (exit %2) did not publish "
                                   "%3: %4")
                        .arg(source)
                        .arg(agent.exitCode())
                        .arg(QString::fromLatin1(expected), QString::fromLocal8Bit(err.right(600)));
    }
    return run;
}

} // namespace greenpulse::bench
