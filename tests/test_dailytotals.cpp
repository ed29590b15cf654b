// Daily totals (core/pipeline/DailyTotals.h): what the dashboard shows as "today" and the state
// file keeps under "days".
#include "pipeline/DailyTotals.h"

#include <QDateTime>
#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

TimeNs localNoon(int year, int month, int day)
{
    return QDateTime(QDate(year, month, day), QTime(12, 0)).toMSecsSinceEpoch() * 1'000'000;
}

JobSummary jobWith(double kwh, double co2eKg, double liters)
{
    JobSummary j;
    j.kwh = kwh;
    j.co2eKg = co2eKg;
    j.liters = liters;
    return j;
}

DayTotals sumOf(std::initializer_list<JobSummary> jobs)
{
    DayTotals s;
    for (const JobSummary &j : jobs) {
        s.add(j);
    }
    return s;
}

} // namespace

TEST(DailyTotals, EachDayGetsWhatTheJobsGrewThatDay)
{
    DailyTotals days;
    const JobSummary restored = jobWith(5, 2, 10); // in the ledger before the start
    days.resetBase({restored});
    const TimeNs day1 = localNoon(2025, 11, 25);
    const TimeNs day2 = localNoon(2025, 11, 26);
    days.advance(day1, sumOf({restored, jobWith(1, 0.5, 3)}));
    days.advance(day1 + 1'000'000'000LL, sumOf({restored, jobWith(1.5, 0.75, 4)}));
    days.advance(day2, sumOf({restored, jobWith(4, 2, 5)}));
    EXPECT_DOUBLE_EQ(days.day(day1).kwh, 1.5);
    EXPECT_DOUBLE_EQ(days.day(day1).co2eKg, 0.75);
    EXPECT_DOUBLE_EQ(days.day(day1).liters, 4);
    EXPECT_DOUBLE_EQ(days.day(day2).kwh, 2.5);
    EXPECT_DOUBLE_EQ(days.day(day2).co2eKg, 1.25);
    EXPECT_DOUBLE_EQ(days.day(day2).liters, 1);
    EXPECT_EQ(days.day(localNoon(2025, 11, 27)).kwh, 0);
}

TEST(DailyTotals, AForgottenJobKeepsItsEnergyInTheDaysAndNothingGoesNegative)
{
    DailyTotals days;
    const TimeNs day = localNoon(2025, 11, 25);
    const JobSummary a = jobWith(2, 1, 6);
    const JobSummary b = jobWith(1, 0.5, 2);
    days.advance(day, sumOf({a, b}));
    days.forget(a); // the ledger dropped `a`: the sum shrinks, the day does not
    days.advance(day, sumOf({b}));
    EXPECT_DOUBLE_EQ(days.day(day).kwh, 3);
    // A sum that shrinks without forget() (a restore of older state) adds nothing negative.
    days.advance(day, sumOf({}));
    EXPECT_DOUBLE_EQ(days.day(day).kwh, 3);
    days.advance(day, sumOf({jobWith(0.25, 0, 0)}));
    EXPECT_DOUBLE_EQ(days.day(day).kwh, 3.25);
}

TEST(DailyTotals, KeepsAtMostTheNewestDaysAndRoundTripsThroughJson)
{
    DailyTotals days;
    const QDate first(2024, 1, 1);
    double kwh = 0;
    for (int i = 0; i < DailyTotals::kMaxDays + 10; ++i) {
        kwh += 1;
        const QDateTime noon(first.addDays(i), QTime(12, 0));
        days.advance(noon.toMSecsSinceEpoch() * 1'000'000,
                     DayTotals{kwh, kwh / 2, kwh * 3, kwh * 1.5, kwh * 0.55, kwh * 4.7, kwh / 10});
    }
    ASSERT_EQ(days.days().size(), DailyTotals::kMaxDays);
    EXPECT_EQ(days.days().firstKey(), first.addDays(10));
    EXPECT_EQ(days.days().lastKey(), first.addDays(DailyTotals::kMaxDays + 9));

    DailyTotals restored;
    restored.restore(days.toJson());
    ASSERT_EQ(restored.days().keys(), days.days().keys());
    for (auto it = days.days().cbegin(); it != days.days().cend(); ++it) {
        for (const DayTotals::Field &f : DayTotals::fields()) {
            EXPECT_EQ(restored.days().value(it.key()).*f.day, it.value().*f.day) << f.key;
        }
    }
    const QJsonObject one = days.toJson().value(first.addDays(10).toString(Qt::ISODate)).toObject();
    EXPECT_EQ(one.value(QLatin1String("kwh")).toDouble(), 1);
    EXPECT_EQ(one.value(QLatin1String("co2e_kg")).toDouble(), 0.5);
    EXPECT_EQ(one.value(QLatin1String("liters")).toDouble(), 3);
}

TEST(DailyTotals, TheFootprintFiguresFollowTheJobsAndOlderStateReadsThemAsZero)
{
    DailyTotals days;
    const TimeNs day = localNoon(2025, 11, 25);
    JobSummary a = jobWith(2, 0.8, 6);
    a.footprint.facilityKwh = 3;
    a.footprint.waterOnsiteL = 1.1;
    a.footprint.waterOffsiteL = 9.42;
    a.footprint.embodiedKg = 0.25;
    days.resetBase({});
    days.advance(day, sumOf({a}));
    a.kwh = 4;
    a.footprint.facilityKwh = 6;
    a.footprint.waterOnsiteL = 2.2;
    a.footprint.waterOffsiteL = 18.84;
    a.footprint.embodiedKg = 0.5;
    days.advance(day + 1'000'000'000LL, sumOf({a}));
    const DayTotals today = days.day(day);
    EXPECT_DOUBLE_EQ(today.kwh, 4);
    EXPECT_DOUBLE_EQ(today.facilityKwh, 6);
    EXPECT_DOUBLE_EQ(today.waterOnsiteL, 2.2);
    EXPECT_DOUBLE_EQ(today.waterOffsiteL, 18.84);
    EXPECT_DOUBLE_EQ(today.embodiedKg, 0.5);
    const QJsonObject json = days.toJson().value(QLatin1String("2025-11-25")).toObject();
    EXPECT_EQ(json.value(QLatin1String("facility_kwh")).toDouble(), 6);
    EXPECT_EQ(json.value(QLatin1String("water_offsite_l")).toDouble(), 18.84);

    // A state file written before these figures existed.
    DailyTotals old;
    old.restore(
        QJsonObject{{QStringLiteral("2025-11-25"), QJsonObject{{QStringLiteral("kwh"), 1.0},
                                                               {QStringLiteral("co2e_kg"), 0.5},
                                                               {QStringLiteral("liters"), 2.0}}}});
    EXPECT_EQ(old.day(day).kwh, 1);
    EXPECT_EQ(old.day(day).facilityKwh, 0);
    EXPECT_EQ(old.day(day).waterOnsiteL, 0);
}
