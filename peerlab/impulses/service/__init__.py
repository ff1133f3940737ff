"""Services of impulse series: typed functions with the actor and the clock (`now`) passed in."""
