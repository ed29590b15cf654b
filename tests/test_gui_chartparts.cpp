// The charts' parts without a broker: units (format), axis ticks, runs between gaps, the
// palette, and one TimeChart drawn offscreen.
#include "TestSupport.h"
#include "charts/AxisTicks.h"
#include "charts/ChartPalette.h"
#include "charts/SeriesRuns.h"
#include "charts/SeriesSum.h"
#include "charts/TimeChart.h"
#include "runtime/Format.h"

#include <QDateTime>
#include <QDir>
#include <QLineSeries>
#include <QLocale>
#include <QSet>
#include <gtest/gtest.h>

using namespace greenpulse;
using app::format::Quantity;

namespace {

bool scientific(const QString &label)
{
    return label.contains(QLatin1Char('e'), Qt::CaseInsensitive);
}

// 1 Hz points from `fromS` to `toS` (inclusive), seconds since `t0Ms`.
QVector<QPointF> ticks(double t0Ms, int fromS, int toS, double y)
{
    QVector<QPointF> out;
    for (int s = fromS; s <= toS; ++s) {
        out.append({t0Ms + s * 1000.0, y});
    }
    return out;
}

} // namespace

TEST(FormatUnits, EachQuantityPicksTheUnitItsMagnitudeReaches)
{
    using app::format::withUnit;
    EXPECT_EQ(withUnit(Quantity::Power, 850), QStringLiteral("850 W"));
    EXPECT_EQ(withUnit(Quantity::Power, 8967), QStringLiteral("8.97 kW"));
    EXPECT_EQ(withUnit(Quantity::Power, 1.2e6), QStringLiteral("1.20 MW"));
    EXPECT_EQ(withUnit(Quantity::Power, 0), QStringLiteral("0 W"));
    EXPECT_EQ(withUnit(Quantity::Energy, 0.0123), QStringLiteral("12.3 Wh"));
    EXPECT_EQ(withUnit(Quantity::Energy, 12.3), QStringLiteral("12.3 kWh"));
    EXPECT_EQ(withUnit(Quantity::Energy, 1234), QStringLiteral("1.23 MWh"));
    EXPECT_EQ(withUnit(Quantity::Mass, 0.0078), QStringLiteral("7.80 g"));
    EXPECT_EQ(withUnit(Quantity::Mass, 1500), QStringLiteral("1.50 t"));
    EXPECT_EQ(withUnit(Quantity::Volume, 0.52), QStringLiteral("520 mL"));
    EXPECT_EQ(withUnit(Quantity::Volume, 12300), QStringLiteral("12.3 m³"));
    EXPECT_EQ(app::format::kwh(0.0123), QStringLiteral("12.3 Wh")); // the cards' functions too
    EXPECT_EQ(app::format::watts(456), QStringLiteral("456 W"));
    EXPECT_EQ(app::format::scaleFor(Quantity::Energy, 5e-5).unit, QStringLiteral("Wh"));
    EXPECT_EQ(app::format::scaleFor(Quantity::Power, 5000).divisor, 1000.0);
}

TEST(FormatUnits, AxisTicksAreNeverScientific)
{
    using app::format::tick;
    for (const auto &[value, step] : std::vector<std::pair<double, double>>{
             {0.00005, 0.00001}, {5000, 1000}, {5e6, 1e6}, {0.25, 0.25}, {1e-9, 5e-10}}) {
        const QString label = tick(value, step);
        EXPECT_FALSE(scientific(label)) << qPrintable(label);
        bool ok = false;
        EXPECT_NEAR(QLocale().toDouble(label, &ok), value, step * 1e-6) << qPrintable(label);
        EXPECT_TRUE(ok) << qPrintable(label);
    }
    EXPECT_EQ(tick(0.25, 0.25), QLocale().toString(0.25, 'f', 2));
    EXPECT_EQ(tick(-1e-17, 0.5), QStringLiteral("0.0")); // no "-0.0"
}

TEST(AxisTicks, TimeTicksAreRoundAndDoNotShiftAsTheWindowSlides)
{
    const double t0 = 1'764'000'000'000.0 + 17'345; // odd milliseconds
    const app::TimeTicks first = app::timeTicks(t0, t0 + 15 * 60'000, 8, 0);
    EXPECT_EQ(first.stepMs, 2 * 60'000); // 15 min, at most 8 ticks: every 2 minutes
    EXPECT_EQ(first.format, QStringLiteral("HH:mm"));
    ASSERT_GE(first.at.size(), 7);
    for (double at : first.at) {
        EXPECT_EQ(std::fmod(at, 120'000.0), 0.0);
        EXPECT_GE(at, t0);
    }
    // One second later: the same ticks (none added or moved unless one scrolls in or out).
    const app::TimeTicks later = app::timeTicks(t0 + 1000, t0 + 1000 + 15 * 60'000, 8, 0);
    for (double at : later.at) {
        EXPECT_TRUE(first.at.contains(at) || at > first.at.constLast());
    }
    // Local time: a one-hour offset keeps hour ticks on the local hour.
    const app::TimeTicks hours = app::timeTicks(t0, t0 + 6 * 3'600'000, 6, 3'600'000);
    EXPECT_EQ(hours.stepMs, 3'600'000);
    for (double at : hours.at) {
        EXPECT_EQ(std::fmod(at + 3'600'000, 3'600'000.0), 0.0);
    }
    EXPECT_EQ(app::timeTickStepMs(5 * 60'000, 8), 60'000);
    EXPECT_EQ(app::timeTickStepMs(5 * 60'000, 3), 2 * 60'000);
    EXPECT_EQ(app::timeTicks(t0, t0 + 60'000, 8, 0).format, QStringLiteral("HH:mm:ss"));
}

TEST(AxisTicks, ValueTicksAreNice)
{
    const app::ValueTicks t = app::valueTicks(0, 8967);
    EXPECT_EQ(t.min, 0);
    EXPECT_EQ(t.step, 2000);
    EXPECT_EQ(t.max, 10000);
    EXPECT_EQ(t.values.size(), 6);
}

TEST(SeriesRuns, SplitsAtMissingPointsButNotAtACoarserStride)
{
    const double t0 = 1'000'000;
    QVector<QPointF> points = ticks(t0, 0, 9, 1) + ticks(t0, 30, 40, 2);
    QVector<QVector<QPointF>> runs = app::seriesruns::split(points);
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs[0].size(), 10);
    EXPECT_EQ(runs[1].constFirst(), QPointF(t0 + 30'000, 2));
    // An archive at a 4 s stride followed by live 1 s points: one run.
    QVector<QPointF> archived;
    for (int s = 0; s < 100; s += 4) {
        archived.append({t0 + s * 1000.0, 3});
    }
    EXPECT_EQ(app::seriesruns::split(archived + ticks(t0, 101, 120, 3)).size(), 1);
    // Three missing ticks are a gap, two are a late tick; a lone point between gaps is a run.
    EXPECT_EQ(app::seriesruns::split(ticks(t0, 0, 9, 1) + ticks(t0, 13, 20, 1)).size(), 2);
    EXPECT_EQ(app::seriesruns::split(ticks(t0, 0, 9, 1) + ticks(t0, 12, 20, 1)).size(), 1);
    EXPECT_EQ(
        app::seriesruns::split(ticks(t0, 0, 9, 1) + ticks(t0, 20, 20, 1) + ticks(t0, 30, 39, 1))
            .size(),
        3);
    EXPECT_TRUE(app::seriesruns::split({}).isEmpty());
}

TEST(SeriesRuns, PiecesShareTheirEndsAndCoverEveryPoint)
{
    const QVector<QPointF> points = ticks(1'000'000, 0, 99, 1);
    const QVector<QVector<QPointF>> pieces = app::seriesruns::pieces(points, 32);
    ASSERT_EQ(pieces.size(), 4); // 32 + 31 + 31 + 7 points, the ends shared
    QVector<QPointF> joined = pieces.constFirst();
    for (int i = 1; i < pieces.size(); ++i) {
        EXPECT_LE(pieces[i].size(), 32);
        EXPECT_EQ(pieces[i].constFirst(), pieces[i - 1].constLast());
        joined += pieces[i].mid(1);
    }
    EXPECT_EQ(joined, points);
    EXPECT_EQ(app::seriesruns::pieces(points.mid(0, 32), 32).size(), 1);
    EXPECT_EQ(app::seriesruns::pieces(points.mid(0, 33), 32).size(), 2);
    EXPECT_EQ(app::seriesruns::pieces(points.mid(0, 1), 32).size(), 1);
}

TEST(SeriesSum, OthersAreTheSumLessTheDrawnSeriesWhereTheyHaveData)
{
    const double t0 = 1'000'000;
    QVector<QPointF> sums = ticks(t0, 0, 19, 300);             // three hosts of 100 W
    const QVector<QPointF> drawn = ticks(t0 + 200, 0, 9, 100); // one of them, silent after 9 s
    const QVector<QPointF> others = app::SeriesSum::minus(sums, {drawn});
    ASSERT_EQ(others.size(), 20);
    EXPECT_EQ(others[0].y(), 200);
    EXPECT_EQ(others[9].y(), 200);
    EXPECT_EQ(others[15].y(), 300); // in its gap it takes nothing off
}

TEST(ChartPalette, ColourBlindSafeStableAndDistinct)
{
    app::ChartPalette a;
    app::ChartPalette b;
    QSet<QString> looks;
    for (int i = 0; i < 20; ++i) {
        const QString name = QStringLiteral("gpu-%1").arg(i, 2, 10, QLatin1Char('0'));
        const app::SeriesStyle style = a.styleFor(name);
        looks.insert(style.color.name() + QString::number(int(style.penStyle)));
    }
    EXPECT_EQ(looks.size(), 20); // 20 names, 20 looks (7 colours x 4 line styles)
    // Another palette (another window, or after a restart) meeting the same names in the same
    // order gives each the same look: the hash decides, not the process.
    for (int i = 0; i < 20; ++i) {
        const QString name = QStringLiteral("gpu-%1").arg(i, 2, 10, QLatin1Char('0'));
        EXPECT_EQ(b.styleFor(name).color, a.styleFor(name).color) << qPrintable(name);
        EXPECT_EQ(b.styleFor(name).penStyle, a.styleFor(name).penStyle) << qPrintable(name);
    }
    // A name first met gets the colour of its hash, whatever came before in another palette.
    app::ChartPalette c;
    EXPECT_EQ(c.styleFor(QStringLiteral("gpu-07")).color, app::ChartPalette::slotStyle(3).color);
    EXPECT_EQ(app::ChartPalette::stableHash(QStringLiteral("gpu-07")), 0xe762836du)
        << "FNV-1a changed: colours would change after an upgrade";
    // The Okabe-Ito orange is among the colours; no two of the first seven share a colour.
    QSet<QRgb> colours;
    for (int slot = 0; slot < 7; ++slot) {
        colours.insert(app::ChartPalette::slotStyle(slot).color.rgb());
    }
    EXPECT_EQ(colours.size(), 7);
    EXPECT_TRUE(colours.contains(QColor(0xe6, 0x9f, 0x00).rgb()));
}

class TimeChartTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        chart = std::make_unique<app::TimeChart>(QStringLiteral("Power"), Quantity::Power);
        chart->resize(900, 360);
        chart->show();
        test::spin(50);
    }
    void draw(const QVector<app::ChartLine> &lines, const QVector<app::ChartBand> &bands = {})
    {
        chart->setContent(from, to, lines, bands);
    }
    double to = std::floor(QDateTime::currentMSecsSinceEpoch() / 1000.0) * 1000.0;
    double from = to - 15 * 60'000.0;
    std::unique_ptr<app::TimeChart> chart;
};

TEST_F(TimeChartTest, TheDefaultWindowIsLabelledFromTheFirstDraw)
{
    draw({});
    const QStringList labels = chart->timeLabels();
    ASSERT_GE(labels.size(), 3) << qPrintable(labels.join(QLatin1Char(',')));
    for (const QString &label : labels) {
        EXPECT_TRUE(QTime::fromString(label, QStringLiteral("HH:mm")).isValid())
            << qPrintable(label);
        EXPECT_TRUE(label.endsWith(QLatin1Char('0')) || label.endsWith(QLatin1Char('5')) ||
                    QTime::fromString(label, QStringLiteral("HH:mm")).minute() % 2 == 0)
            << qPrintable(label);
    }
}

TEST_F(TimeChartTest, ALineBreaksAtAGapAndTheGapIsMarked)
{
    const double t0 = to - 120'000;
    const QVector<QPointF> points = ticks(t0, 0, 40, 5000) + ticks(t0, 70, 120, 5200);
    draw({{QStringLiteral("power/a"), QStringLiteral("a"), points, Qt::red}});
    const auto runs = chart->lineRuns(QStringLiteral("power/a"));
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs[0].constLast(), QPointF(t0 + 40'000, 5000));
    EXPECT_EQ(runs[1].constFirst(), QPointF(t0 + 70'000, 5200));
    EXPECT_EQ(chart->linePoints(QStringLiteral("power/a")), points);
    const QVector<QPointF> marks = chart->gapMarks();
    EXPECT_TRUE(marks.contains(QPointF(t0 + 40'000, 5000)));
    EXPECT_TRUE(marks.contains(QPointF(t0 + 70'000, 5200)));
    // In the gap the crosshair says so; at either side it gives the value in kW.
    EXPECT_TRUE(chart->crosshairText(t0 + 55'000).contains(QStringLiteral("a: –")))
        << qPrintable(chart->crosshairText(t0 + 55'000));
    EXPECT_TRUE(chart->crosshairText(t0 + 80'000).contains(QStringLiteral("a: 5.20 kW")));
    chart->showCrosshair(t0 + 80'000);
    EXPECT_TRUE(chart->crosshairVisible());
    // Joined again: one run, no marks.
    draw({{QStringLiteral("power/a"), QStringLiteral("a"), ticks(t0, 0, 120, 5000), Qt::red}});
    EXPECT_EQ(chart->lineRuns(QStringLiteral("power/a")).size(), 1);
    EXPECT_TRUE(chart->gapMarks().isEmpty());
}

// Qt's software rasteriser fills a long, wide, antialiased stroke slowly (seriesruns::pieces):
// a long line is drawn as short series, and a line that leaves the top N gives its series to the
// next one instead of each new line adding series to the chart.
TEST_F(TimeChartTest, ALongLineIsDrawnInShortPiecesThatNewLinesReuse)
{
    QVector<QPointF> saw;
    for (int s = 0; s <= 900; ++s) {
        saw.append({from + s * 1000.0, 100.0 + (s * 13) % 400});
    }
    auto drawnSeries = [&] {
        int n = 0;
        for (const QAbstractSeries *series : chart->chart()->series()) {
            const auto *line = qobject_cast<const QLineSeries *>(series);
            n += line && line->count() > 0 && line->count() <= 32 ? 1 : 0;
        }
        return n;
    };
    draw({{QStringLiteral("power/a"), QStringLiteral("a"), saw, Qt::red}});
    draw({{QStringLiteral("power/a"), QStringLiteral("a"), saw, Qt::red}}); // the legend placed
    const int pieces = drawnSeries();
    EXPECT_GE(pieces, 10);
    EXPECT_EQ(chart->lineRuns(QStringLiteral("power/a")).size(), 1); // still one run
    const qsizetype total = chart->chart()->series().size();
    for (int round = 0; round < 5; ++round) { // another host each time, as the top N changes
        draw({{QStringLiteral("power/h%1").arg(round), QStringLiteral("h"), saw, Qt::blue}});
        EXPECT_EQ(drawnSeries(), pieces);
    }
    EXPECT_EQ(chart->chart()->series().size(), total); // the legend entry replaced, no more
}

TEST_F(TimeChartTest, AxesAndLegendUseAutomaticUnits)
{
    draw({{QStringLiteral("power/a"), QStringLiteral("a"), ticks(to - 60'000, 0, 60, 8967),
           Qt::red}});
    EXPECT_EQ(chart->valueTitle(), QStringLiteral("kW"));
    for (const QString &label : chart->valueLabels()) {
        EXPECT_FALSE(scientific(label)) << qPrintable(label);
    }
    EXPECT_TRUE(chart->valueLabels().contains(QStringLiteral("10")))
        << qPrintable(chart->valueLabels().join(QLatin1Char(',')));
    EXPECT_EQ(chart->legendText(QStringLiteral("power/a")), QStringLiteral("a  8.97 kW"));
    EXPECT_EQ(chart->lineLabel(QStringLiteral("power/a")), QStringLiteral("a"));

    app::TimeChart energy(QStringLiteral("Energy"), Quantity::Energy);
    energy.setContent(from, to,
                      {{QStringLiteral("kwh/j"), QStringLiteral("j"),
                        ticks(to - 60'000, 0, 60, 5e-5), Qt::blue}});
    EXPECT_EQ(energy.valueTitle(), QStringLiteral("Wh"));
    for (const QString &label : energy.valueLabels()) {
        EXPECT_FALSE(scientific(label)) << qPrintable(label);
    }
}

TEST_F(TimeChartTest, LegendClickHidesALineAndJobsAreLanes)
{
    const QString key = QStringLiteral("power/a");
    draw({{key, QStringLiteral("a"), ticks(to - 60'000, 0, 60, 100), Qt::red}},
         {{QStringLiteral("job-1"), QStringLiteral("job 1"), to - 50'000, to, Qt::blue},
          {QStringLiteral("job-2"), QStringLiteral("job 2"), to - 40'000, to, Qt::green},
          {QStringLiteral("outage"), QStringLiteral("no data"), to - 30'000, to - 20'000, Qt::gray,
           true}});
    EXPECT_EQ(chart->bandCount(), 2);
    EXPECT_EQ(chart->outageCount(), 1);
    // The lanes sit above the data: the value axis leaves room for them.
    EXPECT_GT(chart->valueLabels().size(), 1);
    chart->setLineHidden(key, true);
    EXPECT_TRUE(chart->isLineHidden(key));
    EXPECT_FALSE(chart->crosshairText(to - 10'000).contains(QStringLiteral("a:")));
    draw({{key, QStringLiteral("a"), ticks(to - 60'000, 0, 60, 100), Qt::red}});
    EXPECT_TRUE(chart->isLineHidden(key)) << "hidden lines stay hidden across refreshes";
    chart->setLineHidden(key, false);
    EXPECT_TRUE(chart->crosshairText(to - 10'000).contains(QStringLiteral("a: 100 W")));

    // The picture, for a look.
    const QString folder = QStringLiteral(GREENPULSE_BUILD_DIR "/screenshots");
    QDir().mkpath(folder);
    QVector<app::ChartLine> lines;
    app::ChartPalette palette;
    for (int i = 0; i < 9; ++i) {
        const QString name = QStringLiteral("gpu-%1").arg(i);
        const app::SeriesStyle style = palette.styleFor(name);
        QVector<QPointF> points = ticks(to - 600'000, 0, 200, 300 + 40 * i) +
                                  ticks(to - 600'000, 260 + 10 * i, 600, 320 + 40 * i);
        app::ChartLine line{QStringLiteral("power/") + name, name, points, style.color};
        line.penStyle = style.penStyle;
        lines.append(line);
    }
    draw(lines, {{QStringLiteral("job-1"), QStringLiteral("Llama_Finetune"), to - 500'000, to,
                  QColor(0x0072b2)},
                 {QStringLiteral("job-2"), QStringLiteral("Eval"), to - 300'000, to - 100'000,
                  QColor(0xd55e00)},
                 {QStringLiteral("outage"), QStringLiteral("no data: disconnected"), to - 400'000,
                  to - 340'000, Qt::gray, true}});
    chart->showCrosshair(to - 200'000);
    test::spin(50);
    EXPECT_TRUE(chart->grab().save(folder + QStringLiteral("/chart-parts.png")));
}

TEST_F(TimeChartTest, ANarrowChartWithManyLinesListsThemOnTheRight)
{
    chart->resize(450, 260);
    test::spin(20);
    QVector<app::ChartLine> lines;
    for (int i = 0; i < 2; ++i) {
        lines.append({QStringLiteral("kwh/j%1").arg(i), QStringLiteral("Training_Run_%1").arg(i),
                      ticks(to - 60'000, 0, 60, i), Qt::red});
    }
    draw(lines);
    EXPECT_EQ(chart->legendAlignment(), Qt::AlignBottom); // two fit below
    for (int i = 2; i < 6; ++i) {
        lines.append({QStringLiteral("kwh/j%1").arg(i), QStringLiteral("Training_Run_%1").arg(i),
                      ticks(to - 60'000, 0, 60, i), Qt::red});
    }
    draw(lines);
    EXPECT_EQ(chart->legendAlignment(), Qt::AlignRight); // six would be cut to "Tra…" below
    chart->resize(1000, 300);
    test::spin(20);
    EXPECT_EQ(chart->legendAlignment(), Qt::AlignRight);
}
