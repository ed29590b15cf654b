// The dashboard's footprint labels (issue 15, issue 16 point 4): IT and facility energy, the
// carbon factors charged, coolant circulated vs water consumed, and the jobs table's and CSV's
// facility energy, water and embodied carbon, equal to the processor's summary keys.
#include "accounting/Ledger.h"
#include "pipeline/ProcessorSnapshot.h"
#include "widgets/HeaderCards.h"
#include "widgets/JobsPanel.h"
#include "widgets/JobsTableModel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QJsonObject>
#include <QTableView>
#include <gtest/gtest.h>

using namespace greenpulse;
using app::JobsTableModel;

namespace {

core::JobSummary footprintJob(const QString &id, double kwh, double gLo, double gHi)
{
    core::JobSummary job;
    job.jobId = id;
    job.startNs = 1'764'000'000'000'000'000;
    job.kwh = kwh;
    job.co2eKg = kwh * gLo / 1000;
    job.liters = 40;
    job.footprint.facilityKwh = kwh * 1.5;
    job.footprint.waterOnsiteL = kwh * 0.55;
    job.footprint.waterOffsiteL = kwh * 1.5 * 3.14;
    job.footprint.hasIntensity = true;
    job.footprint.minGPerKwh = gLo;
    job.footprint.maxGPerKwh = gHi;
    job.footprint.sources = {QStringLiteral("constant")};
    return job;
}

core::ProcessorSnapshot snapshotWith(std::vector<core::JobSummary> jobs)
{
    core::ProcessorSnapshot s;
    s.config.pue = 1.5;
    s.config.carbonKgPerKwh = 0.4;
    s.today.kwh = 1.2;
    s.today.co2eKg = 0.48;
    s.today.liters = 75;
    for (const core::JobSummary &job : jobs) { // as the processor's days add them up
        s.today.facilityKwh += job.footprint.facilityKwh;
        s.today.waterOnsiteL += job.footprint.waterOnsiteL;
        s.today.waterOffsiteL += job.footprint.waterOffsiteL;
        s.today.embodiedKg += job.footprint.embodiedKg;
    }
    s.jobs = std::move(jobs);
    return s;
}

QStringList csvRow(const QString &csv, int line)
{
    return csv.split(QLatin1Char('\n')).value(line).split(QLatin1Char(','));
}

} // namespace

TEST(GuiFootprint, HeaderShowsItAndFacilityEnergyAndWaterConsumedAsAnEstimate)
{
    app::HeaderCards cards;
    cards.setSnapshot(snapshotWith({footprintJob(QStringLiteral("a"), 1.2, 400, 400)}));
    EXPECT_EQ(cards.energy()->detail(),
              QStringLiteral("IT 1.20 kWh · facility 1.80 kWh (PUE 1.50)"));
    EXPECT_FALSE(cards.energy()->detail().contains(QStringLiteral("included")));
    EXPECT_EQ(cards.carbon()->detail(), QStringLiteral("at 400 g/kWh (constant)"));
    EXPECT_TRUE(cards.water()->detail().contains(QStringLiteral("not water consumed")));
    // 1.2 x 0.55 = 0.66 L on site, 1.8 x 3.14 = 5.652 L off site, the defaults named.
    EXPECT_EQ(cards.waterUsed()->value(), QStringLiteral("6.31 L"));
    EXPECT_TRUE(cards.waterUsed()->detail().contains(QStringLiteral("660 mL on-site")))
        << cards.waterUsed()->detail().toStdString();
    EXPECT_TRUE(cards.waterUsed()->detail().contains(QStringLiteral("5.65 L off-site")));
    EXPECT_TRUE(cards.waterUsed()->toolTip().contains(QStringLiteral("WUE 0.55")));
    EXPECT_TRUE(cards.waterUsed()->toolTip().contains(QStringLiteral("EWIF 3.14")));
    EXPECT_TRUE(
        cards.waterUsed()->toolTip().contains(QStringLiteral("US averages, Li et al. 2023")));

    // Per-zone factors: the header shows the litres the processor charged, not kWh x a default.
    core::ProcessorSnapshot zoned =
        snapshotWith({footprintJob(QStringLiteral("a"), 1.2, 400, 400)});
    zoned.today.waterOnsiteL = 2.5;
    zoned.today.waterOffsiteL = 7.5;
    zoned.config.footprint.zoneWue.insert(QStringLiteral("DE"), 2.0);
    cards.setSnapshot(zoned);
    EXPECT_EQ(cards.waterUsed()->value(), QStringLiteral("10.0 L"));
    EXPECT_TRUE(cards.waterUsed()->toolTip().contains(QStringLiteral("zones with their own")));

    core::ProcessorSnapshot custom = snapshotWith({});
    custom.config.footprint.wueLPerKwh = 1.0;
    cards.setSnapshot(custom);
    EXPECT_FALSE(cards.waterUsed()->toolTip().contains(QStringLiteral("US averages")));
    EXPECT_TRUE(cards.waterUsed()->toolTip().contains(QStringLiteral("WUE 1")));
    EXPECT_EQ(cards.carbon()->detail(), QStringLiteral("at 400 g/kWh (constant)"));
}

// Issue 16 point 4: a host without a flow sensor is "no sensor", not 0 L of coolant.
TEST(GuiFootprint, NoFlowSensorIsSaidNotShownAsZeroLitres)
{
    core::JobSummary job = footprintJob(QStringLiteral("dry"), 1, 400, 400);
    job.liters = 0;
    job.coveredSeconds = 30; // power integrated, flow never
    JobsTableModel model;
    model.update({job});
    EXPECT_EQ(model.data(model.index(0, JobsTableModel::LitersColumn)).toString(),
              QStringLiteral("no sensor"));
    job.waterCoveredSeconds = 30; // a sensor that measured no flow: 0, a number
    model.update({job});
    EXPECT_EQ(model.data(model.index(0, JobsTableModel::LitersColumn)).toString(),
              QStringLiteral("0"));

    app::HeaderCards cards;
    core::ProcessorSnapshot s = snapshotWith({});
    s.today.liters = 0;
    core::HostSummary dry;
    dry.host = QStringLiteral("gpu-01");
    dry.hasPower = true;
    s.hosts = {dry};
    cards.setSnapshot(s);
    EXPECT_EQ(cards.water()->value(), QStringLiteral("no sensor"));
    core::HostSummary wet = dry;
    wet.host = QStringLiteral("gpu-02");
    wet.hasFlow = true;
    s.hosts = {dry, wet};
    s.today.liters = 12;
    cards.setSnapshot(s);
    EXPECT_TRUE(cards.water()->detail().contains(QStringLiteral("1 of 2 hosts")))
        << cards.water()->detail().toStdString();
}

TEST(GuiFootprint, CarbonCaptionSaysMixedFactorsWhenChargedAtMoreThanOne)
{
    app::HeaderCards cards;
    cards.setSnapshot(snapshotWith({footprintJob(QStringLiteral("a"), 1, 120, 120),
                                    footprintJob(QStringLiteral("b"), 1, 300, 450)}));
    EXPECT_EQ(cards.carbon()->detail(), QStringLiteral("mixed factors, 120–450 g/kWh"));

    // A job that ended yesterday is not in today's carbon: its factor is not "mixed" into it.
    core::ProcessorSnapshot s = snapshotWith({footprintJob(QStringLiteral("a"), 1, 120, 120),
                                              footprintJob(QStringLiteral("b"), 1, 450, 450)});
    const QDateTime noon(QDate(2025, 11, 26), QTime(12, 0));
    s.takenNs = noon.toMSecsSinceEpoch() * 1'000'000;
    s.jobs[0].endNs = noon.addDays(-1).toMSecsSinceEpoch() * 1'000'000;
    cards.setSnapshot(s);
    EXPECT_EQ(cards.carbon()->detail(), QStringLiteral("at 450 g/kWh (constant)"));
}

TEST(GuiFootprint, TableColumnsAndCsvEqualTheProcessorSummaryKeys)
{
    core::JobSummary job = footprintJob(QStringLiteral("train"), 2, 400, 400);
    job.footprint.embodiedKg = 0.125;
    JobsTableModel model;
    model.update({job});
    EXPECT_EQ(
        model.data(model.index(0, JobsTableModel::FacilityKwhColumn), JobsTableModel::SortRole)
            .toDouble(),
        3.0);
    EXPECT_DOUBLE_EQ(
        model.data(model.index(0, JobsTableModel::WaterColumn), JobsTableModel::SortRole)
            .toDouble(),
        job.footprint.waterL());
    const QString tip =
        model.data(model.index(0, JobsTableModel::WaterColumn), Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("WUE 0.55"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("EWIF 3.14"))) << tip.toStdString();
    EXPECT_EQ(model.headerData(JobsTableModel::LitersColumn, Qt::Horizontal).toString(),
              QStringLiteral("Coolant (L)"));

    const QString csv = model.toCsv();
    const QStringList header = csvRow(csv, 0);
    const QStringList row = csvRow(csv, 1);
    ASSERT_EQ(header.size(), row.size());
    const QJsonObject summary = core::Ledger::jobToJson(job);
    for (const char *key :
         {"facility_kwh", "water_onsite_l", "water_offsite_l", "embodied_co2e_kg", "sci_co2e_kg"}) {
        const int column = static_cast<int>(header.indexOf(QLatin1String(key)));
        ASSERT_GE(column, 0) << key;
        ASSERT_TRUE(summary.contains(QLatin1String(key))) << key;
        EXPECT_DOUBLE_EQ(row[column].toDouble(), summary.value(QLatin1String(key)).toDouble())
            << key;
    }
}

TEST(GuiFootprint, EmbodiedColumnHiddenWhileEveryJobHasNone)
{
    app::JobsPanel panel;
    panel.resize(1280, 400);
    core::JobSummary job = footprintJob(QStringLiteral("train"), 2, 400, 400);
    panel.model().update({job});
    EXPECT_TRUE(panel.view()->isColumnHidden(JobsTableModel::EmbodiedColumn));
    // Readable at 1280 px: the fixed columns leave the job id at least 150 px.
    int fixed = 0;
    for (int c = JobsTableModel::HostsColumn; c < JobsTableModel::ColumnCount; ++c) {
        fixed += panel.view()->isColumnHidden(c) ? 0 : panel.view()->columnWidth(c);
    }
    EXPECT_LE(fixed, 1280 - 150);
    job.footprint.embodiedKg = 0.5;
    panel.model().update({job});
    EXPECT_FALSE(panel.view()->isColumnHidden(JobsTableModel::EmbodiedColumn));
}
