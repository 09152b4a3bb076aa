// `npm run bench`: benchmarks print figures and ratios. Suites register in scripts/bench/.
// Placeholder until the metrics and collector benchmarks land (issues 3, 5, 7).
console.log('no benchmarks yet');
