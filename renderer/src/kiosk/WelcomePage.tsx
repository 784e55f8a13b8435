// The first kiosk screen: two big, plain choices.
import { Link } from 'react-router';

export function WelcomePage() {
  return (
    <section className="page kiosk-welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome</h1>
      <p className="lead">What would you like to do?</p>
      <div className="kiosk-choices">
        <Link to="/register" className="button kiosk-choice">
          <span className="kiosk-choice-title">Register</span>
          <span className="kiosk-choice-hint">I am new here</span>
        </Link>
        <Link to="/find" className="button kiosk-choice">
          <span className="kiosk-choice-title">Update my profile</span>
          <span className="kiosk-choice-hint">I have been here before</span>
        </Link>
      </div>
    </section>
  );
}
