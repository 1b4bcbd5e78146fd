"""Advanced: fast serving, beyond the course.

The fitted pipeline is compiled at training into a scoring plan, plain JSON
(:mod:`.compile`); serving scores with it without scikit-learn, feature-engine or
skops (:mod:`.plan`) and explains a price feature by feature (:mod:`.explain`).
"""
