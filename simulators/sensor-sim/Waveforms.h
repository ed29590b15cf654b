#pragma once

// The simulated cooling loop of the sensor simulator, as pure functions of time so tests can check
// exact values. `t` is seconds since the simulator started (not since the epoch): every run begins
// at the mean flow, rising, and at the lowest temperature. Negative `t` is folded into the period.

namespace greenpulse::core::waveforms {

// Flow: 1.3 + 1.2 * sin(2 pi t / 60), i.e. a sine between 0.1 and 2.5 L/min with a 60 s period.
inline constexpr double kFlowMeanLpm = 1.3;
inline constexpr double kFlowAmplitudeLpm = 1.2;
inline constexpr double kFlowMinLpm = kFlowMeanLpm - kFlowAmplitudeLpm; // 0.1
inline constexpr double kFlowMaxLpm = kFlowMeanLpm + kFlowAmplitudeLpm; // 2.5
inline constexpr double kFlowPeriodS = 60.0;

// Temperature: a triangle rising from 25 to 35 degC over 300 s, then back over 300 s.
inline constexpr double kTempMinC = 25.0;
inline constexpr double kTempMaxC = 35.0;
inline constexpr double kTempPeriodS = 600.0;

double coolingFlowLpm(double t);
double coolantTempC(double t);

} // namespace greenpulse::core::waveforms
