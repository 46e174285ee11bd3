"""Phone calls placed for a team event type through Retell AI (`create-phone-call`)."""
