-- removes the copied user decisions before they are copied again from the app database
delete from user_decision
