"""What the routes do, without HTTP: price rows with the model the app serves."""
