export function App() {
  return <h1>Learner Profiles</h1>;
}
