// The provisioned Grafana dashboard (compose/grafana/dashboards/greenpulse.json) cannot drift from
// the schema: the real pipeline (simulators + `greenpulse-job demo` + `greenpulse-processor`) fills
// a real influxd 1.6 once, then every panel's raw InfluxQL runs against it the way Grafana runs it
// (template variables, $timeFilter and $__interval substituted; GET /query, epoch=ns) and must
// return the demo's jobs and host with the totals the processor printed.
#include "GrafanaSupport.h"
#include "PipelineStack.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <functional>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse::test;

// Failure messages show QStrings (and lists of them) as text.
void PrintTo(const QString &s, std::ostream *os);
void PrintTo(const QString &s, std::ostream *os)
{
    *os << '"' << s.toStdString() << '"';
}

namespace {

const QString kDatabase = QStringLiteral("greenpulse");

QString str(const QJsonValue &v)
{
    return v.toString();
}

QJsonObject loadDashboard()
{
    QFile file(QStringLiteral(GREENPULSE_SOURCE_DIR "/compose/grafana/dashboards/greenpulse.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

// One way of looking at the dashboard: variable values and time range.
struct View
{
    QString label;
    QHash<QString, QString> values;
    QSet<QString> jobs;  // the job_id tags it may show; empty: any
    QSet<QString> hosts; // the host tags it may show; empty: any
};

// The pipeline's run, shared by every test of the suite (the demo takes 35 s).
struct SharedRun
{
    std::unique_ptr<PipelineStack> stack;
    QString error;        // non-empty: the run failed, every test fails with it
    QJsonObject totals;   // job_id -> the processor's final JSON for the job
    QStringList demoJobs; // Initial_Model_Train_*, Hyperparameter_Tuning_*
    qint64 fromMs = 0;    // a minute before the run
};

SharedRun &sharedRun()
{
    static SharedRun r;
    return r;
}

QString runPipeline(SharedRun &r)
{
    r.stack = std::make_unique<PipelineStack>();
    PipelineStack &s = *r.stack;
    s.host = QStringLiteral("dashboard-host-1");
    r.fromMs = QDateTime::currentMSecsSinceEpoch() - 60000;
    if (!s.broker.start()) {
        return s.broker.lastError();
    }
    if (!s.influx.start()) {
        return s.influx.lastError();
    }
    Child processor;
    // Embodied carbon on (off by default), so its columns have something to show.
    const QStringList args = s.processorArgs(QStringLiteral("dashboard-processor"))
                             << QStringLiteral("--embodied-kg") << QStringLiteral("1500");
    if (!startProcessor(processor, args)) {
        return QStringLiteral("processor: ") + QString::fromUtf8(processor.readStderr());
    }
    if (!s.startSimulators()) {
        return QStringLiteral("the simulators did not start");
    }
    spin(1500);
    const ProcessResult demo = greenpulse::test::run(
        binary(QStringLiteral("greenpulse-job")),
        {QStringLiteral("demo"), QStringLiteral("--broker"), s.broker.url(),
         QStringLiteral("--host"), s.host, QStringLiteral("--config"), QStringLiteral("/dev/null")},
        90000);
    if (demo.exitCode != 0 || demo.timedOut) {
        return QStringLiteral("greenpulse-job demo failed: ") + QString::fromUtf8(demo.err);
    }
    spin(2000); // the demo ends with 5 s of idle: the last job's tail is in already
    if (!processor.terminate(20000)) {
        return QStringLiteral("the processor did not exit");
    }
    s.agent.terminate();
    s.sensor.terminate();
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        const QString id = str(v.toObject().value(QLatin1String("job_id")));
        r.totals.insert(id, v);
        if (id.startsWith(QLatin1String("Initial_Model_Train_")) ||
            id.startsWith(QLatin1String("Hyperparameter_Tuning_"))) {
            r.demoJobs << id;
        }
    }
    if (r.demoJobs.size() != 2) {
        return QStringLiteral("expected the demo's two jobs, the processor printed: ") +
               QString::fromUtf8(processor.readStdout());
    }
    return {};
}

} // namespace

TEST(DashboardJson, HasTheRequiredPanelsAndOnlyRawInfluxQl)
{
    const QJsonObject dash = loadDashboard();
    ASSERT_FALSE(dash.isEmpty()) << "compose/grafana/dashboards/greenpulse.json does not parse";
    const QList<QJsonObject> all = dashboardPanels(dash.value(QLatin1String("panels")).toArray());
    QHash<QString, QString> typeByTitle;
    for (const QJsonObject &p : all) {
        const QString title = str(p.value(QLatin1String("title")));
        typeByTitle.insert(title, str(p.value(QLatin1String("type"))));
        const QJsonArray targets = p.value(QLatin1String("targets")).toArray();
        EXPECT_FALSE(targets.isEmpty()) << title.toStdString();
        for (const QJsonValue &t : targets) {
            const QJsonObject target = t.toObject();
            const QString q = str(target.value(QLatin1String("query")));
            EXPECT_TRUE(target.value(QLatin1String("rawQuery")).toBool()) << title.toStdString();
            EXPECT_TRUE(q.startsWith(QLatin1String("SELECT "))) << title.toStdString();
            EXPECT_TRUE(q.contains(QLatin1String("$timeFilter"))) << title.toStdString();
            EXPECT_EQ(str(target.value(QLatin1String("datasource"))
                              .toObject()
                              .value(QLatin1String("type"))),
                      QLatin1String("influxdb"))
                << title.toStdString();
        }
    }
    // The panels: energy, carbon, water per job, power now, job status; temperature, flow.
    const QList<QPair<QString, QString>> required = {
        {QStringLiteral("Cumulative energy per job"), QStringLiteral("timeseries")},
        {QStringLiteral("Cumulative carbon per job"), QStringLiteral("timeseries")},
        {QStringLiteral("Coolant circulated per job"), QStringLiteral("timeseries")},
        {QStringLiteral("Facility energy per job"), QStringLiteral("timeseries")},
        {QStringLiteral("Water consumed per job"), QStringLiteral("timeseries")},
        {QStringLiteral("SCI carbon per job"), QStringLiteral("timeseries")},
        {QStringLiteral("Now: power draw"), QStringLiteral("stat")},
        {QStringLiteral("Power draw per host"), QStringLiteral("timeseries")},
        {QStringLiteral("Job status"), QStringLiteral("state-timeline")},
        {QStringLiteral("Coolant temperature per host"), QStringLiteral("timeseries")},
        {QStringLiteral("Coolant flow per host"), QStringLiteral("timeseries")},
        {QStringLiteral("Totals per job"), QStringLiteral("table")},
    };
    for (const auto &[title, type] : required) {
        EXPECT_EQ(typeByTitle.value(title, QStringLiteral("(missing)")), type)
            << "panel " << title.toStdString();
    }
}

class DashboardQueries : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        SharedRun &r = sharedRun();
        r.error = runPipeline(r);
        s_dashboard = loadDashboard();
    }
    static void TearDownTestSuite() { sharedRun().stack.reset(); }

    void SetUp() override
    {
        ASSERT_TRUE(sharedRun().error.isEmpty()) << sharedRun().error.toStdString();
        ASSERT_FALSE(s_dashboard.isEmpty());
    }

    static InfluxServer &influx() { return sharedRun().stack->influx; }
    static QString host() { return sharedRun().stack->host; }

    static QList<QJsonObject> variables()
    {
        QList<QJsonObject> out;
        const QJsonArray list = s_dashboard.value(QLatin1String("templating"))
                                    .toObject()
                                    .value(QLatin1String("list"))
                                    .toArray();
        for (const QJsonValue &v : list) {
            out << v.toObject();
        }
        return out;
    }

    // The values a query variable offers (its SHOW TAG VALUES run on the influxd).
    static QStringList variableValues(const QJsonObject &variable)
    {
        const InfluxAnswer a =
            influxGet(influx(), kDatabase, str(variable.value(QLatin1String("query"))));
        QStringList out;
        for (const InfluxSeries &s : a.series) {
            const qsizetype c = s.columns.indexOf(QLatin1String("value"));
            for (const QJsonArray &row : s.rows) {
                out << row.at(c).toString();
            }
        }
        return out;
    }

    // The views every query is checked in: All over the default relative range (as Grafana's
    // frontend renders $timeFilter), All over an absolute range (as Grafana 11's backend renders
    // it), and just the demo's jobs and host selected.
    static QList<View> views()
    {
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch() + 1000;
        const QHash<QString, QString> macros = {
            {QStringLiteral("__interval"), QStringLiteral("1s")},
            {QStringLiteral("interval"), QStringLiteral("1s")},
            {QStringLiteral("__interval_ms"), QStringLiteral("1000")},
        };
        View relative{QStringLiteral("All, now-30m..now"), macros, {}, {}};
        relative.values.insert(QStringLiteral("timeFilter"),
                               QStringLiteral("time >= now() - 30m and time <= now()"));
        View absolute{QStringLiteral("All, absolute range"), macros, {}, {}};
        absolute.values.insert(
            QStringLiteral("timeFilter"),
            QStringLiteral("time > %1ms and time < %2ms").arg(sharedRun().fromMs).arg(nowMs));
        View selected = absolute;
        selected.label = QStringLiteral("demo jobs and host selected");
        for (const QJsonObject &v : variables()) {
            if (str(v.value(QLatin1String("type"))) != QLatin1String("query")) {
                continue;
            }
            const QString name = str(v.value(QLatin1String("name")));
            const QString allValue = str(v.value(QLatin1String("allValue")));
            const QString all =
                !allValue.isEmpty() ? allValue : grafanaRegexValue(variableValues(v));
            relative.values.insert(name, all);
            absolute.values.insert(name, all);
            if (name == QLatin1String("job")) {
                selected.values.insert(name, grafanaRegexValue(sharedRun().demoJobs));
                selected.jobs =
                    QSet<QString>(sharedRun().demoJobs.cbegin(), sharedRun().demoJobs.cend());
            } else if (name == QLatin1String("host")) {
                selected.values.insert(name, grafanaRegexValue({host()}));
                selected.hosts = {host()};
            } else {
                selected.values.insert(name, all);
            }
        }
        return {relative, absolute, selected};
    }

    // Runs the query of every target of the panel titled `title` in every view and hands the
    // answers to `check`.
    static void forPanel(const QString &title,
                         const std::function<void(const View &, const InfluxAnswer &)> &check)
    {
        bool found = false;
        for (const QJsonObject &p :
             dashboardPanels(s_dashboard.value(QLatin1String("panels")).toArray())) {
            if (str(p.value(QLatin1String("title"))) != title) {
                continue;
            }
            found = true;
            for (const QJsonValue &t : p.value(QLatin1String("targets")).toArray()) {
                for (const View &view : views()) {
                    const QString q = grafanaInterpolate(
                        str(t.toObject().value(QLatin1String("query"))), view.values);
                    SCOPED_TRACE(
                        (title + QStringLiteral(" [") + view.label + QStringLiteral("]: ") + q)
                            .toStdString());
                    ASSERT_FALSE(grafanaVariablePattern().match(q).hasMatch())
                        << "unknown variable";
                    const InfluxAnswer a = influxGet(influx(), kDatabase, q);
                    ASSERT_EQ(a.status, 200) << a.error.toStdString();
                    ASSERT_TRUE(a.error.isEmpty()) << a.error.toStdString();
                    ASSERT_FALSE(a.series.isEmpty()) << "no series";
                    check(view, a);
                }
            }
        }
        EXPECT_TRUE(found) << "no panel " << title.toStdString();
    }

    // The series of an answer by the value of one tag.
    static QHash<QString, InfluxSeries> byTag(const InfluxAnswer &a, const QString &key)
    {
        QHash<QString, InfluxSeries> out;
        for (const InfluxSeries &s : a.series) {
            out.insert(s.tag(key), s);
        }
        return out;
    }

    static double total(const QString &jobId, const QString &key)
    {
        return sharedRun().totals.value(jobId).toObject().value(key).toDouble();
    }

    // The checks, run by one test: ctest runs every test in a process of its own, and each
    // would replay the 35 s demo.
    void checkVariables();        // $job and $host offer the demo's jobs and host
    void checkEveryTarget();      // every target answers, with the selected jobs/hosts only
    void checkCumulativeTotals(); // kWh, CO2e, litres rise to the processor's totals
    void checkTotalsTable();      // the table shows the processor's totals
    void checkHostPanels();       // power, temperature, flow of the simulated host
    void checkJobStatus();        // running from each job's start event, ended from its end
    void checkMessageRate();      // the processor's message rate

    static QJsonObject s_dashboard;
};

QJsonObject DashboardQueries::s_dashboard;

void DashboardQueries::checkVariables()
{
    QSet<QString> seen;
    for (const QJsonObject &v : variables()) {
        const QString name = str(v.value(QLatin1String("name")));
        if (str(v.value(QLatin1String("type"))) != QLatin1String("query")) {
            continue;
        }
        seen.insert(name);
        const InfluxAnswer a = influxGet(influx(), kDatabase, str(v.value(QLatin1String("query"))));
        ASSERT_EQ(a.status, 200) << name.toStdString() << ": " << a.error.toStdString();
        ASSERT_TRUE(a.error.isEmpty()) << name.toStdString() << ": " << a.error.toStdString();
        const QStringList values = variableValues(v);
        if (name == QLatin1String("job")) {
            for (const QString &job : sharedRun().demoJobs) {
                EXPECT_TRUE(values.contains(job)) << job.toStdString();
            }
        } else if (name == QLatin1String("host")) {
            EXPECT_EQ(values, QStringList{host()});
        }
    }
    EXPECT_TRUE(seen.contains(QStringLiteral("job")));
    EXPECT_TRUE(seen.contains(QStringLiteral("host")));
}

void DashboardQueries::checkEveryTarget()
{
    for (const QJsonObject &p :
         dashboardPanels(s_dashboard.value(QLatin1String("panels")).toArray())) {
        forPanel(str(p.value(QLatin1String("title"))), [](const View &view, const InfluxAnswer &a) {
            for (const InfluxSeries &s : a.series) {
                if (!view.jobs.isEmpty() && s.tags.contains(QLatin1String("job_id"))) {
                    EXPECT_TRUE(view.jobs.contains(s.tag(QStringLiteral("job_id"))))
                        << s.tag(QStringLiteral("job_id")).toStdString();
                }
                if (!view.hosts.isEmpty() && s.tags.contains(QLatin1String("host"))) {
                    EXPECT_TRUE(view.hosts.contains(s.tag(QStringLiteral("host"))))
                        << s.tag(QStringLiteral("host")).toStdString();
                }
            }
        });
    }
}

void DashboardQueries::checkCumulativeTotals()
{
    const QList<QPair<QString, QString>> panelTotals = {
        {QStringLiteral("Cumulative energy per job"), QStringLiteral("kwh")},
        {QStringLiteral("Cumulative carbon per job"), QStringLiteral("co2e_kg")},
        {QStringLiteral("Coolant circulated per job"), QStringLiteral("liters")},
        {QStringLiteral("Facility energy per job"), QStringLiteral("facility_kwh")},
        {QStringLiteral("Water consumed per job"), QStringLiteral("water_l")},
        {QStringLiteral("SCI carbon per job"), QStringLiteral("sci_co2e_kg")},
    };
    for (const auto &[title, key] : panelTotals) {
        forPanel(title, [&key = key](const View &, const InfluxAnswer &a) {
            const QHash<QString, InfluxSeries> series = byTag(a, QStringLiteral("job_id"));
            for (const QString &job : sharedRun().demoJobs) {
                ASSERT_TRUE(series.contains(job)) << job.toStdString();
                const InfluxSeries &s = series[job];
                const auto points = s.points(s.columns.value(1));
                ASSERT_GE(points.size(), 5) << job.toStdString();
                for (int i = 1; i < points.size(); ++i) {
                    EXPECT_GE(points[i].second, points[i - 1].second) << "not cumulative";
                }
                const double expected = total(job, key);
                EXPECT_GT(points.last().second, 0.0) << job.toStdString();
                EXPECT_NEAR(points.last().second, expected, 1e-9 * expected + 1e-12)
                    << job.toStdString() << " " << key.toStdString();
            }
        });
    }
}

void DashboardQueries::checkTotalsTable()
{
    forPanel(QStringLiteral("Totals per job"), [](const View &, const InfluxAnswer &a) {
        const QHash<QString, InfluxSeries> series = byTag(a, QStringLiteral("job_id"));
        for (const QString &job : sharedRun().demoJobs) {
            ASSERT_TRUE(series.contains(job)) << job.toStdString();
            const QList<QPair<QString, QString>> columns = {
                {QStringLiteral("kWh"), QStringLiteral("kwh")},
                {QStringLiteral("kg CO2e"), QStringLiteral("co2e_kg")},
                {QStringLiteral("coolant L"), QStringLiteral("liters")},
                {QStringLiteral("facility kWh"), QStringLiteral("facility_kwh")},
                {QStringLiteral("embodied kg"), QStringLiteral("embodied_co2e_kg")},
                {QStringLiteral("SCI kg"), QStringLiteral("sci_co2e_kg")},
                {QStringLiteral("water L"), QStringLiteral("water_l")}};
            for (const auto &[column, key] : columns) {
                const auto points = series[job].points(column);
                ASSERT_EQ(points.size(), 1) << column.toStdString();
                const double expected = total(job, key);
                EXPECT_GT(expected, 0.0);
                EXPECT_NEAR(points.first().second, expected, 1e-9 * expected)
                    << job.toStdString() << " " << column.toStdString();
            }
        }
    });
}

void DashboardQueries::checkHostPanels()
{
    struct Range
    {
        QString title;
        double min;
        double max;
        int minPoints;
    };
    // Host agent 95-500 W, coolant 25-35 degC and 0.1-2.5 L/min (docs/simulators.md).
    const QList<Range> ranges = {{QStringLiteral("Now: power draw"), 90, 510, 1},
                                 {QStringLiteral("Power draw per host"), 90, 510, 25},
                                 {QStringLiteral("Coolant temperature per host"), 24.9, 35.1, 25},
                                 {QStringLiteral("Coolant flow per host"), 0.09, 2.51, 25}};
    for (const Range &range : ranges) {
        forPanel(range.title, [&range](const View &, const InfluxAnswer &a) {
            const QHash<QString, InfluxSeries> series = byTag(a, QStringLiteral("host"));
            ASSERT_EQ(series.keys(), QList<QString>{host()});
            const InfluxSeries &s = series[host()];
            const auto points = s.points(s.columns.value(1));
            EXPECT_GE(points.size(), range.minPoints);
            for (const auto &p : points) {
                EXPECT_GE(p.second, range.min);
                EXPECT_LE(p.second, range.max);
            }
        });
    }
}

void DashboardQueries::checkJobStatus()
{
    forPanel(QStringLiteral("Job status"), [](const View &, const InfluxAnswer &a) {
        const QHash<QString, InfluxSeries> series = byTag(a, QStringLiteral("job_id"));
        for (const QString &job : sharedRun().demoJobs) {
            ASSERT_TRUE(series.contains(job)) << job.toStdString();
            const auto points = series[job].points(series[job].columns.value(1));
            // Running (1) from the start event, ended (0) from the end event on, nothing else.
            qsizetype firstRunning = -1;
            qsizetype firstEnded = -1;
            for (qsizetype i = 0; i < points.size(); ++i) {
                if (points[i].second == 1.0 && firstRunning < 0) {
                    firstRunning = i;
                } else if (points[i].second == 0.0 && firstEnded < 0) {
                    firstEnded = i;
                }
            }
            ASSERT_GE(firstRunning, 0) << job.toStdString() << ": no start";
            ASSERT_GT(firstEnded, firstRunning) << job.toStdString() << ": no end after the start";
            const double start = total(job, QStringLiteral("start"));
            const double end = total(job, QStringLiteral("end"));
            EXPECT_NEAR(points[firstRunning].first, start, 1.01) << job.toStdString();
            EXPECT_NEAR(points[firstEnded].first, end, 1.01) << job.toStdString();
            for (qsizetype i = firstEnded; i < points.size(); ++i) {
                EXPECT_EQ(points[i].second, 0.0) << job.toStdString() << " running after its end";
            }
        }
    });
}

void DashboardQueries::checkMessageRate()
{
    forPanel(QStringLiteral("Messages per second"), [](const View &, const InfluxAnswer &a) {
        double maxAccepted = 0;
        for (const InfluxSeries &s : a.series) {
            for (const auto &p : s.points(QStringLiteral("accepted"))) {
                maxAccepted = qMax(maxAccepted, p.second);
            }
        }
        EXPECT_GE(maxAccepted, 1.0);
    });
}

TEST_F(DashboardQueries, EveryPanelShowsTheDemoRun)
{
    checkVariables();
    checkEveryTarget();
    checkCumulativeTotals();
    checkTotalsTable();
    checkHostPanels();
    checkJobStatus();
    checkMessageRate();
}
